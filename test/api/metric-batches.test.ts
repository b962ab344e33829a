import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { gql, gqlOk } from '../support/graphql-client.js';
import { createRun, logMetrics, type MetricInput } from '../support/testkit.js';
import { runTopic } from '../../src/kernel/topics.js';
import type { Envelope } from '../../src/kernel/pubsub.js';
import { packSeries, unpackSeries, type RunMessage } from '../../src/kernel/run-event.js';

/**
 * logMetrics sends a batch as array literals it builds itself, points without
 * a time as NULL (stored with the request's time), and each key's points as
 * one series in step order: what is stored and what is announced must match.
 */
const app = useTestApp();

const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;

async function stored(runId: string): Promise<{ key: string; step: number; value: number; time: string }[]> {
  const rows = await app.dataSource.query(`SELECT key, step, value, time FROM metric_points WHERE run_id = $1 ORDER BY key, step`, [runId]);
  return rows.map((r: { key: string; step: number; value: number; time: Date }) => ({ ...r, time: r.time.toISOString() }));
}

type Unpacked = ReturnType<typeof unpackSeries>;

/** Logs a batch and returns the metrics messages published for it, series unpacked. */
async function logAndListen(runId: string, points: MetricInput[]): Promise<{ series: Unpacked[]; packed: RunMessage[] }[]> {
  const messages: Envelope[] = [];
  const stop = app.pubsub.subscribe(runTopic(runId), (envelope) => messages.push(envelope));
  try {
    await logMetrics(app, runId, points);
    for (let i = 0; i < 200 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  } finally {
    stop();
  }
  return messages.map((m) => m.body as RunMessage).flatMap((m) => (m.type === 'metrics' ? [{ series: m.series.map(unpackSeries), packed: [m] }] : []));
}

describe('logMetrics batches', () => {
  it('stores points without a time with the server time, one for the whole batch, and announces that time', async () => {
    const runId = await createRun(app, { name: 'batches' });
    const before = Date.now();
    const [message] = await logAndListen(runId, Array.from({ length: 300 }, (_, i) => ({ key: 'loss', step: i, value: i / 10 })));
    const after = Date.now();
    const rows = await stored(runId);
    expect(rows).toHaveLength(300);
    const times = new Set(rows.map((r) => r.time));
    expect(times.size).toBe(1);
    const [time] = times;
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time)).toBeLessThanOrEqual(after);
    expect(message.series).toEqual([{ key: 'loss', steps: rows.map((r) => r.step), values: rows.map((r) => r.value), times: [time] }]);
    const [packed] = message.packed as Extract<RunMessage, { type: 'metrics' }>[];
    expect(packed.series[0]).toMatchObject({ steps: [0], times: [time] });
  });

  it('keeps given times, and gives the others the server time, within one batch and one key', async () => {
    const runId = await createRun(app, { name: 'batches' });
    const [message] = await logAndListen(runId, [
      { key: 'lr', step: 0, value: 0.1, time: '2026-01-02T03:04:05.678Z' },
      { key: 'lr', step: 1, value: 0.2 },
      { key: 'acc', step: 0, value: 0.5 },
      { key: 'lr', step: 2, value: 0.3, time: '1999-12-31T23:59:59.999Z' },
    ]);
    const rows = await stored(runId);
    const lr = rows.filter((r) => r.key === 'lr');
    expect(lr.map((r) => r.time)[0]).toBe('2026-01-02T03:04:05.678Z');
    expect(lr.map((r) => r.time)[2]).toBe('1999-12-31T23:59:59.999Z');
    const now = rows.find((r) => r.key === 'acc')!.time;
    expect(Math.abs(Date.now() - Date.parse(now))).toBeLessThan(60_000);
    expect(lr[1].time).toBe(now);
    expect(message.series).toEqual([
      { key: 'lr', steps: [0, 1, 2], values: [0.1, 0.2, 0.3], times: ['2026-01-02T03:04:05.678Z', now, '1999-12-31T23:59:59.999Z'] },
      { key: 'acc', steps: [0], values: [0.5], times: [now] },
    ]);
  });

  it('stores keys that need quoting in an array literal exactly', async () => {
    const runId = await createRun(app, { name: 'batches' });
    const keys = ['a"b', 'back\\slash', 'comma,{brace}', ' spaced ', 'NULL', 'ünïcödé ✓', "it's"];
    await logMetrics(app, runId, keys.map((key, i) => ({ key, step: i, value: i })));
    expect((await stored(runId)).map((r) => r.key).sort()).toEqual([...keys].sort());
  });

  it('keeps the last point of each (key, step) when steps come out of order, and announces each key in step order', async () => {
    const runId = await createRun(app, { name: 'batches' });
    const [message] = await logAndListen(runId, [
      { key: 'loss', step: 5, value: 1 },
      { key: 'acc', step: 2, value: 0.2 },
      { key: 'loss', step: 3, value: 2 },
      { key: 'loss', step: 5, value: 3 },
      { key: 'acc', step: 2, value: 0.4 },
      { key: 'loss', step: 4, value: 4 },
    ]);
    const rows = await stored(runId);
    expect(rows.map(({ key, step, value }) => ({ key, step, value }))).toEqual([
      { key: 'acc', step: 2, value: 0.4 },
      { key: 'loss', step: 3, value: 2 },
      { key: 'loss', step: 4, value: 4 },
      { key: 'loss', step: 5, value: 3 },
    ]);
    expect(message.series.map(({ key, steps, values }) => ({ key, steps, values }))).toEqual([
      { key: 'loss', steps: [3, 4, 5], values: [2, 4, 3] },
      { key: 'acc', steps: [2], values: [0.4] },
    ]);
    const { metric } = (await gqlOk(app.url, `query($id: ID!) { run(id: $id) { metric(key: "loss") { totalPoints } } }`, { id: runId })).run;
    expect(metric.totalPoints).toBe(3);
  });

  it('stores extreme but finite values and steps exactly', async () => {
    const runId = await createRun(app, { name: 'batches' });
    const values = [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7, -0.1 - 0.2, 123456789.123456789];
    await logMetrics(app, runId, [...values.map((value, i) => ({ key: 'v', step: i, value })), { key: 'v', step: 2_147_483_647, value: 1 }]);
    const rows = await stored(runId);
    expect(rows.map((r) => r.value)).toEqual([...values, 1]);
    expect(rows.at(-1)!.step).toBe(2_147_483_647);
  });

  it('an empty batch is accepted and stores nothing', async () => {
    const runId = await createRun(app, { name: 'batches' });
    expect((await gql(app.url, LOG, { runId, points: [] })).data?.logMetrics).toEqual({ accepted: 0 });
    expect(await stored(runId)).toEqual([]);
  });

  it('packs series exactly: sparse steps kept, consecutive ones and a shared time written once, every float64 bit for bit', () => {
    const values = [0.1 + 0.2, -0, Number.MIN_VALUE, -Number.MAX_VALUE, 1e-300];
    const sparse = { key: 'k', steps: [0, 2, 3, 10, 2_147_483_647], values, times: ['t0', 't1', 't1', 't1', 't1'] };
    expect(packSeries(sparse.key, sparse.steps, sparse.values, sparse.times).steps).toEqual(sparse.steps);
    const back = unpackSeries(packSeries(sparse.key, sparse.steps, sparse.values, sparse.times));
    expect(back).toEqual(sparse);
    expect(Object.is(back.values[1], -0)).toBe(true);
    const dense = packSeries('k', [7, 8, 9], [1, 2, 3], ['t', 't', 't']);
    expect(dense).toMatchObject({ steps: [7], times: ['t'] });
    expect(unpackSeries(dense)).toEqual({ key: 'k', steps: [7, 8, 9], values: [1, 2, 3], times: ['t'] });
    expect(unpackSeries(packSeries('k', [5], [4], ['t']))).toEqual({ key: 'k', steps: [5], values: [4], times: ['t'] });
  });
});
