import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { createRun, finishRun, logEpoch, logMetrics } from '../support/testkit.js';

const app = useTestApp();

const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const SERIES = `query($id: ID!, $key: String!, $maxPoints: Int, $afterStep: Int) {
  run(id: $id) { metricKeys metric(key: $key, maxPoints: $maxPoints, afterStep: $afterStep) { key totalPoints downsampled points { step value time } } }
}`;

async function rowCount(runId: string): Promise<number> {
  const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM metric_points WHERE run_id = $1', [runId]);
  return row.n;
}

const batch = (n: number, offset = 0, value = (i: number) => Math.sin(i)) =>
  Array.from({ length: n }, (_, i) => ({ key: 'loss', step: offset + i, value: value(offset + i) }));

describe('logMetrics', () => {
  it('stores a 10,000-point batch once, and a re-sent batch replaces it: still 10,000 rows', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    const points = batch(10_000);
    expect(await logMetrics(app, runId, points)).toBe(10_000);
    expect(await logMetrics(app, runId, points.map((p) => ({ ...p, value: p.value + 1 })))).toBe(10_000);
    expect(await rowCount(runId)).toBe(10_000);
    const [{ value }] = await app.dataSource.query(`SELECT value FROM metric_points WHERE run_id = $1 AND key = 'loss' AND step = 7`, [runId]);
    expect(value).toBeCloseTo(Math.sin(7) + 1, 12);
  });

  it('writes a batch in one INSERT statement', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    app.statements.length = 0;
    await logMetrics(app, runId, batch(10_000));
    const inserts = app.statements.filter((s) => /INSERT INTO metric_points/.test(s));
    expect(inserts).toHaveLength(1);
  });

  it('stores nothing when one point of the batch is bad, and says which', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    const points = batch(500);
    points[321] = { key: 'loss', step: -4, value: 1 };
    const result = await gql(app.url, LOG, { runId, points });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/points\[321\]\.step: step must be >= 0/);
    expect(await rowCount(runId)).toBe(0);
  });

  it.each([
    ['NaN smuggled as a string', 'NaN'],
    ['Infinity smuggled as a string', 'Infinity'],
    ['a huge number', 1e309],
  ])('refuses %s as a value', async (_name, value) => {
    const runId = await createRun(app, { name: 'metrics' });
    const result = await gql(app.url, LOG, { runId, points: [{ key: 'loss', step: 0, value: 0.5 }, { key: 'loss', step: 1, value }] });
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(await rowCount(runId)).toBe(0);
  });

  it('refuses a batch over 10,000 points, steps beyond Int, and blank keys', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    const over = await gql(app.url, LOG, { runId, points: batch(10_001) });
    expect(errorCode(over)).toBe('BAD_USER_INPUT');
    expect(over.errors![0].message).toMatch(/at most 10000 points/);
    expect((await gql(app.url, LOG, { runId, points: [{ key: 'loss', step: 2 ** 31, value: 1 }] })).errors?.length).toBeGreaterThan(0);
    expect(errorCode(await gql(app.url, LOG, { runId, points: [{ key: '', step: 1, value: 1 }] }))).toBe('BAD_USER_INPUT');
    expect(await rowCount(runId)).toBe(0);
  });

  it('keeps the last of two points with the same key and step in one batch', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    await logMetrics(app, runId, [{ key: 'acc', step: 3, value: 0.1 }, { key: 'acc', step: 3, value: 0.9 }]);
    const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'acc' });
    expect(run.metric.points.map((p: { value: number }) => p.value)).toEqual([0.9]);
  });

  it('answers NOT_FOUND for an unknown run and CONFLICT for a finished one, storing nothing', async () => {
    expect(errorCode(await gql(app.url, LOG, { runId: '6f1c4a52-0000-4000-8000-000000000000', points: batch(3) }))).toBe('NOT_FOUND');
    const runId = await createRun(app, { name: 'metrics' });
    await finishRun(app, runId);
    const late = await gql(app.url, LOG, { runId, points: batch(3) });
    expect(errorCode(late)).toBe('CONFLICT');
    expect(late.errors![0].message).toMatch(/SUCCEEDED/);
    expect(await rowCount(runId)).toBe(0);
    const epoch = await gql(app.url, `mutation($id: ID!) { logEpoch(runId: $id, input: { index: 0, loss: 1 }) { index } }`, { id: runId });
    expect(errorCode(epoch)).toBe('CONFLICT');
  });

  it('keeps client times and defaults missing ones to now', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    await logMetrics(app, runId, [{ key: 'lr', step: 0, value: 0.001, time: '2026-01-02T03:04:05.678Z' }, { key: 'lr', step: 1, value: 0.001 }]);
    const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'lr' });
    expect(run.metric.points[0].time).toBe('2026-01-02T03:04:05.678Z');
    expect(Date.now() - Date.parse(run.metric.points[1].time)).toBeLessThan(60_000);
    expect(errorCode(await gql(app.url, LOG, { runId, points: [{ key: 'lr', step: 2, value: 1, time: 'yesterday' }] }))).toBe('BAD_USER_INPUT');
  });
});

describe('Run.metric', () => {
  it('returns short series whole, and afterStep skips what the client has', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    await logMetrics(app, runId, batch(50));
    const all = await gqlOk(app.url, SERIES, { id: runId, key: 'loss' });
    expect(all.run.metric).toMatchObject({ totalPoints: 50, downsampled: false });
    expect(all.run.metricKeys).toEqual(['loss']);
    const tail = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', afterStep: 44 });
    expect(tail.run.metric.points.map((p: { step: number }) => p.step)).toEqual([45, 46, 47, 48, 49]);
    const never = await gqlOk(app.url, SERIES, { id: runId, key: 'never-logged' });
    expect(never.run.metric).toMatchObject({ totalPoints: 0, downsampled: false, points: [] });
  });

  it('downsamples a long series to between maxPoints/2 and maxPoints, keeping a one-step spike and dip', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    const smooth = (i: number) => 2 * Math.exp(-i / 8000) + 0.01 * Math.sin(i / 10);
    for (let offset = 0; offset < 30_000; offset += 10_000) {
      await logMetrics(app, runId, batch(10_000, offset, (i) => (i === 17_777 ? 50 : i === 23_456 ? -3 : smooth(i))));
    }
    const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 200 });
    expect(run.metric.totalPoints).toBe(30_000);
    expect(run.metric.downsampled).toBe(true);
    expect(run.metric.points.length).toBeGreaterThanOrEqual(100);
    expect(run.metric.points.length).toBeLessThanOrEqual(200);
    const steps = run.metric.points.map((p: { step: number }) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(run.metric.points).toContainEqual(expect.objectContaining({ step: 17_777, value: 50 }));
    expect(run.metric.points).toContainEqual(expect.objectContaining({ step: 23_456, value: -3 }));
  });

  it('refuses maxPoints outside 2..100000', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    expect(errorCode(await gql(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 1 }))).toBe('BAD_USER_INPUT');
  });
});

describe('logEpoch', () => {
  it('upserts on (run, phase, index) and lists phases in the order they first appeared', async () => {
    const runId = await createRun(app, { name: 'metrics' });
    await logEpoch(app, runId, { index: 0, loss: 1.0 });
    await logEpoch(app, runId, { index: 1, loss: 0.8 });
    await logEpoch(app, runId, { phase: 'finetune', index: 0, loss: 0.5 });
    await logEpoch(app, runId, { index: 1, loss: 0.7, valLoss: 0.9 });
    await logEpoch(app, runId, { phase: 'finetune', index: 1, loss: 0.4 });
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { epochs { phase index loss valLoss } } }`, { id: runId });
    expect(run.epochs).toEqual([
      { phase: 'train', index: 0, loss: 1.0, valLoss: null },
      { phase: 'train', index: 1, loss: 0.7, valLoss: 0.9 },
      { phase: 'finetune', index: 0, loss: 0.5, valLoss: null },
      { phase: 'finetune', index: 1, loss: 0.4, valLoss: null },
    ]);
    const bad = await gql(app.url, `mutation($id: ID!) { logEpoch(runId: $id, input: { index: -1 }) { index } }`, { id: runId });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });
});
