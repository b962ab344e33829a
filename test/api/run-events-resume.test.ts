import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, errorCode, gqlOk, gqlOverWebSocket, wsClient } from '../support/graphql-client.js';
import { RunEventsService } from '../../src/events/run-events.service.js';
import type { PubSub } from '../../src/kernel/pubsub.js';
import type { RunEvent } from '../../src/kernel/run-event.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

const RESUME = `subscription($runId: ID!, $after: String, $afterStep: Int) {
  runEvents(runId: $runId, after: $after, afterStep: $afterStep) {
    __typename
    ... on MetricsLogged { key points { step } cursor }
    ... on EpochCompleted { epoch { index } cursor }
    ... on StatusChanged { status statusCursor: cursor }
  }
}`;
const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;

type Event = { runEvents: { __typename: string; key?: string; points?: { step: number }[]; status?: string; cursor: string } };

const newRun = async () => (await gqlOk(app.url, `mutation { createRun(input: { name: "resume" }) { id } }`)).createRun.id as string;

/** Subscribes, takes `count` events, and disconnects. */
async function take(variables: Record<string, unknown>, count: number): Promise<Event[]> {
  const client = wsClient(app.url);
  try {
    // The contract makes StatusChanged.cursor nullable and the others not: one name needs an alias.
    const events = await collect<{ runEvents: Event['runEvents'] & { statusCursor?: string } }>(client, RESUME, variables, (events) => events.length >= count);
    return events.map(({ runEvents: { statusCursor, ...event } }) => ({ runEvents: { ...event, cursor: event.cursor ?? statusCursor! } }));
  } finally {
    await client.dispose();
  }
}

describe('runEvents(after: cursor)', () => {
  it('resumes with no gap and no duplicate while two writers log into one run, across many reconnections', async () => {
    const runId = await newRun();
    const batches = 150;
    const perBatch = 20;
    // Writer A logs the even steps, writer B the odd ones, both into `loss`, concurrently:
    // their commits interleave in no fixed order, so a later step often commits before an earlier one.
    const writer = (parity: number) => (async () => {
      for (let b = 0; b < batches; b++) {
        const points = Array.from({ length: perBatch }, (_, i) => ({ key: 'loss', step: (b * perBatch + i) * 2 + parity, value: i }));
        await gqlOk(app.url, LOG, { runId, points });
      }
    })();
    const writers = Promise.all([writer(0), writer(1)]);
    const total = 2 * batches * perBatch;
    const steps: number[] = [];
    const cursors: string[] = [];
    let after = '0';
    let reconnections = 0;
    // Take a few events, drop the connection, resume from the last cursor: again and again.
    while (steps.length < total) {
      const events = await take({ runId, after }, 1 + (reconnections % 7));
      for (const { runEvents: event } of events) {
        if (event.__typename === 'MetricsLogged') steps.push(...event.points!.map((p) => p.step));
        cursors.push(event.cursor);
      }
      if (events.length) after = events.at(-1)!.runEvents.cursor;
      reconnections++;
    }
    await writers;
    expect(reconnections).toBeGreaterThan(10);
    expect(steps).toHaveLength(total);
    expect(new Set(steps).size).toBe(total);
    expect(Math.max(...steps)).toBe(total - 1);
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('resumes between the keys of one batch: a cursor names one event of a logged message', async () => {
    const runId = await newRun();
    await gqlOk(app.url, LOG, { runId, points: [{ key: 'a', step: 0, value: 1 }, { key: 'b', step: 0, value: 2 }, { key: 'c', step: 0, value: 3 }] });
    const all = await take({ runId, after: '0' }, 4);
    expect(all.map((e) => e.runEvents.key ?? e.runEvents.status)).toEqual(['RUNNING', 'a', 'b', 'c']);
    const afterA = await take({ runId, after: all[1].runEvents.cursor }, 2);
    expect(afterA.map((e) => e.runEvents.key)).toEqual(['b', 'c']);
    expect(afterA.map((e) => e.runEvents.cursor)).toEqual(all.slice(2).map((e) => e.runEvents.cursor));
  });

  it('starts exactly where Run.eventCursor was read: nothing before it, everything after', async () => {
    const runId = await newRun();
    await gqlOk(app.url, LOG, { runId, points: [{ key: 'loss', step: 0, value: 1 }] });
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { eventCursor } }`, { id: runId });
    await gqlOk(app.url, LOG, { runId, points: [{ key: 'loss', step: 1, value: 1 }] });
    await gqlOk(app.url, `mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: runId });
    const events = await take({ runId, after: run.eventCursor }, 2);
    expect(events.map((e) => e.runEvents.points?.[0].step ?? e.runEvents.status)).toEqual([1, 'SUCCEEDED']);
  });

  it('gives afterStep backlog events a cursor that resumes without a gap', async () => {
    const runId = await newRun();
    await gqlOk(app.url, LOG, { runId, points: [{ key: 'a', step: 5, value: 1 }, { key: 'b', step: 5, value: 1 }] });
    const backlog = await take({ runId, afterStep: 0 }, 3);
    expect(backlog.map((e) => e.runEvents.key ?? e.runEvents.status)).toEqual(['a', 'b', 'RUNNING']);
    // Cut off inside the backlog: its cursor repeats the backlog; after its last event: only what is new.
    expect((await take({ runId, after: backlog[1].runEvents.cursor }, 3)).map((e) => e.runEvents.key ?? e.runEvents.status)).toEqual(['a', 'b', 'RUNNING']);
    await gqlOk(app.url, LOG, { runId, points: [{ key: 'a', step: 6, value: 1 }] });
    expect((await take({ runId, after: backlog[2].runEvents.cursor }, 1)).map((e) => e.runEvents.points![0].step)).toEqual([6]);
  });

  it('reads a message whose notification was lost from the log, in order', async () => {
    const runId = await newRun();
    // The real pub/sub, except that the first live notification of this run never arrives.
    let dropped = false;
    const lossy: PubSub = Object.assign(Object.create(app.pubsub) as PubSub, {
      subscribe: (topic: string, handler: Parameters<PubSub['subscribe']>[1]) =>
        app.pubsub.subscribe(topic, (envelope) => (dropped || !envelope.seq ? handler(envelope) : (dropped = true))),
    });
    const stream = new RunEventsService(lossy, app.services.runs, app.services.metrics).runEvents(runId, null, null);
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 200));
    for (const step of [0, 1, 2]) await gqlOk(app.url, LOG, { runId, points: [{ key: 'loss', step, value: 1 }] });
    const received: RunEvent[] = [(await first).value as RunEvent];
    while (received.length < 3) received.push((await stream.next()).value as RunEvent);
    await stream.return(undefined);
    expect(dropped).toBe(true);
    expect(received.map((e) => (e.__typename === 'MetricsLogged' ? e.points[0].step : null))).toEqual([0, 1, 2]);
  });

  it.each([
    ['not a cursor', { after: 'abc' }, /after: "abc" is not a cursor of runEvents/],
    ['a number past bigint', { after: '99999999999999999999' }, /is not a cursor of runEvents/],
    ['a position past the run\'s last event', { after: '999' }, /is past run .*'s last event/],
    ['both after and afterStep', { after: '0', afterStep: 3 }, /give one of afterStep and after/],
  ])('refuses %s with BAD_USER_INPUT', async (_name, variables, message) => {
    const runId = await newRun();
    const result = await gqlOverWebSocket(app.url, RESUME, { runId, ...variables });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(message);
  });
});
