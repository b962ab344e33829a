import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { finishRun, Logger, startRun, watchRun, type RunEvent } from '../../clients/typescript/index.js';
import { gqlOk } from '../support/graphql-client.js';
import { useTestApp } from '../support/test-app.js';
import { startProxy } from './tcp-proxy.js';
import { toSeries } from '../../clients/typescript/run-logger.js';

/** The TypeScript client against the real server: logger API, offline outbox, watchRun with a cut connection. */
const app = useTestApp();

const fast = { backoffMs: 50, maxBackoffMs: 400, timeoutMs: 2_000, flushIntervalMs: 100 };

async function stored(runId: string) {
  return (await gqlOk(app.url, `query ($id: ID!) { run(id: $id) { status tags epochs { phase index valLoss } metric(key: "batch_loss", maxPoints: 100000) { totalPoints points { step } } evaluation { accuracy } } }`, { id: runId })).run;
}

describe('TypeScript client', () => {
  it('has types generated from schema/ that are up to date', async () => {
    await promisify(execFile)('npx', ['graphql-codegen', '--config', 'clients/typescript/codegen.ts', '--check'], { timeout: 60_000 });
  });

  it('sends a batch as one series per key (logMetricSeries), points in the order given', () => {
    expect(toSeries([{ key: 'loss', step: 2, value: 0.2 }, { key: 'lr', step: 2, value: 0.1 }, { key: 'loss', step: 1, value: 0.3 }])).toEqual([
      { key: 'loss', steps: [2, 1], values: [0.2, 0.3] },
      { key: 'lr', steps: [2], values: [0.1] },
    ]);
  });

  it('logs batches, epochs and an evaluation with the same API as the Python client', async () => {
    const run = await startRun({ name: 'ts-logger', tags: ['ts'], config: { lr: 0.01 } }, { url: app.url, ...fast });
    const logger = new Logger(run, 5);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let batch = 0; batch < 50; batch++) logger.logBatch({ loss: 1 / (run.batchStep + 1) });
      logger.logEpoch(epoch, { loss: 0.5, valLoss: 0.6 - epoch / 10, valAccuracy: 0.8 });
    }
    const finetune = new Logger(run, 5, 'finetune');
    for (let batch = 0; batch < 10; batch++) finetune.logBatch({ loss: 0.05 });
    finetune.logEpoch(0, { valLoss: 0.2 });
    run.logMetrics({ batch_loss: Number.NaN }, 999); // not finite: skipped
    run.recordEvaluation(['CNV', 'NORMAL'], [[9, 1], [2, 8]]);
    expect(await finishRun(run)).toBe(true);

    const state = await stored(run.id);
    expect(state.status).toBe('SUCCEEDED');
    expect(state.epochs.map((e: { phase: string; index: number }) => `${e.phase}${e.index}`)).toEqual(['train0', 'train1', 'train2', 'finetune0']);
    expect(state.metric.points.map((p: { step: number }) => p.step)).toEqual(Array.from({ length: 32 }, (_, i) => i * 5));
    expect(state.evaluation.accuracy).toBeCloseTo(0.85);
  });

  it('keeps points while the server is unreachable and sends them, in order, when it is back', async () => {
    const proxy = await startProxy(new URL(app.url));
    const run = await startRun({ name: 'ts-offline' }, { url: proxy.url(), ...fast });
    run.logMetric('batch_loss', 1, 0);
    expect(await run.flush(10_000)).toBe(true);
    await proxy.down();
    for (let step = 1; step <= 400; step++) run.logMetric('batch_loss', 1 / step, step);
    run.logEpoch(0, { valLoss: 0.3 });
    expect(await run.flush(1_000)).toBe(false);
    expect(run.pendingPoints()).toBe(400);
    expect(run.lastError?.code).toBe('UNREACHABLE');
    await proxy.up();
    expect(await run.finish('SUCCEEDED', null, 30_000)).toBe(true);
    const state = await stored(run.id);
    expect(state.metric.points.map((p: { step: number }) => p.step)).toEqual(Array.from({ length: 401 }, (_, i) => i));
    expect(state.epochs).toHaveLength(1);
    expect(state.status).toBe('SUCCEEDED');
    await proxy.down();
  });

  it('watchRun with afterStep of a run that already finished yields everything stored, then ends with the final status', async () => {
    // The moment the package test raced into: the watch subscribes only after the run's points, epoch and finish committed.
    const run = await startRun({ name: 'ts-watch-finished' }, { url: app.url, ...fast });
    for (let step = 0; step < 20; step++) run.logMetrics({ loss: 1 / (step + 1) }, step);
    run.logEpoch(0, { valAccuracy: 0.75 });
    expect(await finishRun(run)).toBe(true);

    const events: RunEvent[] = [];
    for await (const event of watchRun(run.id, { url: app.url, afterStep: -1, webSocketImpl: WebSocket, ...fast })) events.push(event);
    expect(events.flatMap((e) => (e.__typename === 'MetricsLogged' ? e.points.map((p) => p.step) : []))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(events.filter((e) => e.__typename === 'EpochCompleted')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ __typename: 'StatusChanged', status: 'SUCCEEDED' });
  });

  it('watchRun replays from afterStep, survives a cut connection without a gap, and ends with the run', async () => {
    const proxy = await startProxy(new URL(app.url));
    const run = await startRun({ name: 'ts-watch' }, { url: app.url, ...fast });
    for (let step = 0; step < 100; step++) run.logMetric('batch_loss', 1, step);
    expect(await run.flush()).toBe(true);

    const events: RunEvent[] = [];
    let reconnects = 0;
    const watching = (async () => {
      for await (const event of watchRun(run.id, { url: proxy.url(), afterStep: -1, webSocketImpl: WebSocket, ...fast, onReconnect: () => void reconnects++ })) {
        events.push(event);
      }
    })();
    const seenSteps = () => new Set(events.flatMap((e) => (e.__typename === 'MetricsLogged' ? e.points.map((p) => p.step) : [])));
    const until = async (check: () => boolean, what: string) => {
      for (const started = Date.now(); !check(); await new Promise((r) => setTimeout(r, 25))) {
        if (Date.now() - started > 15_000) throw new Error(`timed out waiting for ${what}`);
      }
    };
    await until(() => seenSteps().size === 100, 'the backlog');

    await proxy.down(); // cuts the open WebSocket too
    for (let step = 100; step < 250; step++) run.logMetric('batch_loss', 2, step);
    run.logEpoch(0, { valLoss: 0.5 });
    expect(await run.flush()).toBe(true); // the client writes directly, the watcher is cut off
    await proxy.up();
    await until(() => seenSteps().size === 250, 'the points written while disconnected');
    await finishRun(run);
    await watching; // ends on its own when the run finishes

    expect(reconnects).toBeGreaterThan(0);
    const points = events.flatMap((e) => (e.__typename === 'MetricsLogged' ? e.points.map((p) => p.step) : []));
    expect(new Set(points).size).toBe(250);
    expect(points.filter((s) => s >= 100)).toHaveLength(150); // each point after the cut arrived once
    expect(events.some((e) => e.__typename === 'EpochCompleted')).toBe(true);
    expect(events.at(-1)).toMatchObject({ __typename: 'StatusChanged', status: 'SUCCEEDED' });
    await proxy.down();
  });
});
