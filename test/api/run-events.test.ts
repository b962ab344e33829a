import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { collect, gqlOk, untilLive, wsClient } from '../support/graphql-client.js';
import { cancelRun, createRun, finishRun, logEpoch, logMetrics, metricPoints } from '../support/testkit.js';
import { RunEventsService } from '../../src/events/run-events.service.js';
import type { Envelope, PubSub } from '../../src/kernel/pubsub.js';
import { runTopic } from '../../src/kernel/topics.js';

const app = useTestApp();

const RUN_EVENTS = `subscription($runId: ID!, $afterStep: Int) {
  runEvents(runId: $runId, afterStep: $afterStep) {
    __typename
    ... on MetricsLogged { runId key points { step value } }
    ... on EpochCompleted { runId epoch { phase index loss } }
    ... on StatusChanged { runId status error }
  }
}`;

type Event = { runEvents: { __typename: string; key?: string; points?: { step: number }[]; epoch?: { index: number }; status?: string } };
const stepsOf = (events: Event[], key = 'loss') =>
  events.flatMap((e) => (e.runEvents.__typename === 'MetricsLogged' && e.runEvents.key === key ? e.runEvents.points!.map((p) => p.step) : []));

describe('Subscription.runEvents', () => {
  it('delivers every step exactly once to a subscriber that joins with afterStep while a writer keeps logging', async () => {
    const runId = await createRun(app, { name: 'live' });
    const total = 3_000;
    const perBatch = 25;
    let written = 0;
    // The writer logs steps 0..2999 in small batches, with an epoch every 500 steps.
    const writer = (async () => {
      for (let step = 0; step < total; step += perBatch) {
        await logMetrics(app, runId, metricPoints('loss', step, perBatch, (s) => 1 / (s + 1)));
        if ((step + perBatch) % 500 === 0) {
          await logEpoch(app, runId, { index: (step + perBatch) / 500 - 1, loss: 0.5 });
        }
        written = step + perBatch;
      }
    })();
    // Several subscribers join at different moments, each saying it has already seen steps <= 99.
    const subscribers: Promise<Event[]>[] = [];
    for (let i = 0; i < 4; i++) {
      while (written < 200 + i * 600) await new Promise((r) => setTimeout(r, 5));
      const client = wsClient(app.url);
      subscribers.push(
        collect<Event>(client, RUN_EVENTS, { runId, afterStep: 99 }, (events) => stepsOf(events).length >= total - 100 && events.filter((e) => e.runEvents.__typename === 'EpochCompleted').length >= 6)
          .finally(() => client.dispose()),
      );
    }
    await writer;
    for (const events of await Promise.all(subscribers)) {
      const steps = stepsOf(events);
      expect(steps).toHaveLength(total - 100);
      expect(new Set(steps).size).toBe(total - 100);
      expect(Math.min(...steps)).toBe(100);
      expect(Math.max(...steps)).toBe(total - 1);
      expect(events.find((e) => e.runEvents.__typename === 'StatusChanged')!.runEvents).toMatchObject({ status: 'RUNNING' });
      const epochs = events.filter((e) => e.runEvents.__typename === 'EpochCompleted').map((e) => e.runEvents.epoch!.index);
      expect(new Set(epochs).size).toBe(epochs.length);
      expect([...epochs].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });

  it('sends the stored backlog first (epochs too), then live events, and large batches arrive whole', async () => {
    const runId = await createRun(app, { name: 'live' });
    await logMetrics(app, runId, metricPoints('loss', 0, 8_000, (s) => s));
    await logEpoch(app, runId, { index: 0, loss: 2 });
    const client = wsClient(app.url);
    const received = collect<Event>(client, RUN_EVENTS, { runId, afterStep: -1 }, (events) => stepsOf(events).length >= 18_000 && stepsOf(events, 'acc').length >= 1);
    // A 10,000-point batch is far over NOTIFY's 8000-byte limit: it travels by reference.
    await new Promise((r) => setTimeout(r, 300));
    await logMetrics(app, runId, metricPoints('loss', 8_000, 10_000, (s) => s - 8_000));
    await logMetrics(app, runId, [{ key: 'acc', step: 0, value: 0.5 }]);
    const events = await received;
    await client.dispose();
    const steps = stepsOf(events);
    expect(steps).toEqual(Array.from({ length: 18_000 }, (_, i) => i));
    expect(events.some((e) => e.runEvents.__typename === 'EpochCompleted')).toBe(true);
  });

  it('ends the backlog of a run that already finished with its final status, after its points and epochs', async () => {
    const runId = await createRun(app, { name: 'finished' });
    await logMetrics(app, runId, metricPoints('loss', 0, 20, (s) => 1 / (s + 1)));
    await logEpoch(app, runId, { index: 0, loss: 0.5 });
    await finishRun(app, runId);
    // A subscriber that stops at the run's final status, as watchRun does, must have everything by then.
    const client = wsClient(app.url);
    const events = await collect<Event>(client, RUN_EVENTS, { runId, afterStep: -1 }, (got) => got.some((e) => e.runEvents.status === 'SUCCEEDED'));
    await client.dispose();
    expect(stepsOf(events)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(events.filter((e) => e.runEvents.__typename === 'EpochCompleted')).toHaveLength(1);
    expect(events.at(-1)!.runEvents).toMatchObject({ __typename: 'StatusChanged', status: 'SUCCEEDED' });
  });

  it('without afterStep streams live events only, and tells about status changes', async () => {
    const runId = await createRun(app, { name: 'live' });
    await logMetrics(app, runId, [{ key: 'loss', step: 0, value: 1 }]);
    const client = wsClient(app.url);
    let probes = 0;
    const received = collect<Event>(client, RUN_EVENTS, { runId }, (events) => {
      probes = stepsOf(events, 'probe').length;
      return events.some((e) => e.runEvents.status === 'SUCCEEDED');
    });
    await untilLive((i) => logMetrics(app, runId, [{ key: 'probe', step: i, value: 1 }]), () => probes > 0);
    await logMetrics(app, runId, [{ key: 'loss', step: 1, value: 1 }]);
    await finishRun(app, runId);
    const events = await received;
    await client.dispose();
    expect(stepsOf(events)).toEqual([1]);
    expect(events.at(-1)!.runEvents).toMatchObject({ __typename: 'StatusChanged', status: 'SUCCEEDED' });
  });

  it('without afterStep drops a notification that arrives late for a write committed before it began', async () => {
    const runId = await createRun(app, { name: 'live' });
    // The real pub/sub, but what it received before the service subscribed reaches
    // the service only afterwards: a NOTIFY still in flight when the mutation answered.
    const inFlight: Envelope[] = [];
    // Only the metrics write's notification: the run's creation may still be announced late on a loaded machine.
    const stopHolding = app.pubsub.subscribe(runTopic(runId), (envelope) => {
      if ((envelope.body as { type?: string }).type === 'metrics') inFlight.push(envelope);
    });
    const lagging: PubSub = {
      start: async () => undefined,
      stop: async () => undefined,
      publish: (tx, topic, body) => app.pubsub.publish(tx, topic, body),
      publishRunEvent: (tx, runId, body) => app.pubsub.publishRunEvent(tx, runId, body),
      readRunLog: (runId, afterSeq, limit, runner) => app.pubsub.readRunLog(runId, afterSeq, limit, runner),
      runLogHead: (runId, runner) => app.pubsub.runLogHead(runId, runner),
      subscribe: (topic, handler) => {
        setTimeout(() => inFlight.splice(0).forEach(handler), 100);
        return app.pubsub.subscribe(topic, handler);
      },
      onResync: (handler) => app.pubsub.onResync(handler),
      readInSnapshot: (read) => app.pubsub.readInSnapshot(read),
    };
    await logMetrics(app, runId, [{ key: 'loss', step: 0, value: 1 }]);
    await expect.poll(() => inFlight.length).toBe(1);
    stopHolding();
    const service = new RunEventsService(lagging, app.services.runs, app.services.metrics);
    const stream = service.runEvents(runId, null);
    const first = stream.next(); // subscribes and takes its start snapshot
    await new Promise((r) => setTimeout(r, 200));
    await logMetrics(app, runId, [{ key: 'loss', step: 1, value: 1 }]);
    const event = (await first).value;
    await stream.return(undefined);
    expect(event).toMatchObject({ __typename: 'MetricsLogged', key: 'loss', points: [{ step: 1 }] });
  });

  it('stores trainer notes: Run.notes lists them, and a resumed subscription gets them again before live ones', async () => {
    const runId = await createRun(app, { name: 'live' });
    await app.services.runs.note(runId, 'dataset TRAIN: CREATE_COMPLETE');
    await app.services.runs.note(runId, 'model TRAINING_IN_PROGRESS: The model is being trained.');
    const NOTES = `subscription($runId: ID!) { runEvents(runId: $runId, afterStep: 5) { __typename ... on RunNote { id message time } } }`;
    const client = wsClient(app.url);
    const received = collect<{ runEvents: { __typename: string; id?: string; message?: string } }>(client, NOTES, { runId },
      (events) => events.filter((e) => e.runEvents.__typename === 'RunNote').length >= 3);
    await expect.poll(async () => (await gqlOk(app.url, `query($id: ID!) { run(id: $id) { notes { id } } }`, { id: runId })).run.notes.length).toBe(2);
    await app.services.runs.note(runId, 'model TRAINING_COMPLETED');
    const notes = (await received).map((e) => e.runEvents).filter((e) => e.__typename === 'RunNote');
    await client.dispose();
    expect(notes.map((n) => n.message)).toEqual(['dataset TRAIN: CREATE_COMPLETE', 'model TRAINING_IN_PROGRESS: The model is being trained.', 'model TRAINING_COMPLETED']);
    expect(new Set(notes.map((n) => n.id)).size).toBe(3);
    const run = (await gqlOk(app.url, `query($id: ID!) { run(id: $id) { notes { id runId message time } } }`, { id: runId })).run;
    expect(run.notes.map((n: { id: string }) => n.id)).toEqual(notes.map((n) => n.id));
    expect(run.notes[2]).toMatchObject({ runId, message: 'model TRAINING_COMPLETED' });
    expect(Date.parse(run.notes[2].time)).toBeGreaterThan(0);
  });

  it('answers NOT_FOUND for an unknown run', async () => {
    const client = wsClient(app.url);
    const error = await collect(client, RUN_EVENTS, { runId: '00000000-0000-4000-8000-000000000000' }, () => true).catch((e: Error) => e);
    await client.dispose();
    expect(JSON.stringify(error)).toMatch(/was not found/);
  });
});

describe('Subscription.runStatusChanged', () => {
  it('reports status changes of every run', async () => {
    const client = wsClient(app.url);
    type Changed = { runStatusChanged: { runId: string; status: string; error: string | null } };
    const probeRuns = new Set<string>();
    let seen: Changed[] = [];
    const runIds = new Set<string>();
    const received = collect<Changed>(client, `subscription { runStatusChanged { runId status error } }`, {}, (events) => {
      seen = events;
      return events.filter((e) => runIds.has(e.runStatusChanged.runId)).length >= 3;
    });
    await untilLive(async () => probeRuns.add(await createRun(app, { name: 'live' })), () => seen.some((e) => probeRuns.has(e.runStatusChanged.runId)));
    const a = await createRun(app, { name: 'live' });
    runIds.add(a);
    const b = await createRun(app, { name: 'live' });
    runIds.add(b);
    await cancelRun(app, a);
    const events = (await received).map((e) => e.runStatusChanged).filter((e) => runIds.has(e.runId));
    await client.dispose();
    expect(events).toEqual([
      { runId: a, status: 'RUNNING', error: null },
      { runId: b, status: 'RUNNING', error: null },
      { runId: a, status: 'CANCELLED', error: 'cancelled by a user' },
    ]);
  });
});
