import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk, untilLive, wsClient } from '../support/graphql-client.js';

/**
 * logMetricSeries: logMetrics in columns (one key, steps, values, optional
 * times) with logMetrics' guarantees: idempotent by (run, key, step), the
 * whole batch or nothing, a clear BAD_USER_INPUT naming the bad element,
 * CONFLICT into a finished run, and the same live MetricsLogged events.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }`;
const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;

async function newRun(): Promise<string> {
  return (await gqlOk(app.url, `mutation { createRun(input: { name: "columns" }) { id } }`)).createRun.id;
}

async function stored(runId: string): Promise<{ key: string; step: number; value: number; time: string }[]> {
  const rows = await app.dataSource.query(`SELECT key, step, value, time FROM metric_points WHERE run_id = $1 ORDER BY key, step`, [runId]);
  return rows.map((r: { key: string; step: number; value: number; time: Date }) => ({ ...r, time: r.time.toISOString() }));
}

const withoutTime = (rows: { key: string; step: number; value: number }[]) => rows.map(({ key, step, value }) => ({ key, step, value }));

describe('logMetricSeries', () => {
  it('stores what logMetrics stores for the same points, rollups included, and counts every point sent', async () => {
    const [byRows, byColumns] = [await newRun(), await newRun()];
    const steps = Array.from({ length: 2_000 }, (_, i) => i * 3);
    const values = steps.map((s) => Math.sin(s / 50) + s / 1e4);
    await gqlOk(app.url, LOG, { runId: byRows, points: steps.map((step, i) => ({ key: 'loss', step, value: values[i] })).concat([{ key: 'lr', step: 0, value: 0.1 }]) });
    const result = await gqlOk(app.url, LOG_SERIES, { runId: byColumns, series: [{ key: 'loss', steps, values }, { key: 'lr', steps: [0], values: [0.1] }] });
    expect(result.logMetricSeries.accepted).toBe(2_001);
    expect(withoutTime(await stored(byColumns))).toEqual(withoutTime(await stored(byRows)));
    const series = `query($id: ID!) { run(id: $id) { metricKeys metric(key: "loss", maxPoints: 100) { totalPoints downsampled points { step value } } } }`;
    const [a, b] = [await gqlOk(app.url, series, { id: byRows }), await gqlOk(app.url, series, { id: byColumns })];
    expect(b.run).toEqual(a.run);
    expect(b.run.metric).toMatchObject({ totalPoints: 2_000, downsampled: true });
  });

  it('is idempotent: a series sent again replaces its points, and within a batch the last point of a step wins', async () => {
    const runId = await newRun();
    await gqlOk(app.url, LOG_SERIES, { runId, series: [{ key: 'loss', steps: [0, 1, 2], values: [1, 2, 3] }] });
    await gqlOk(app.url, LOG_SERIES, { runId, series: [{ key: 'loss', steps: [2, 1, 0], values: [30, 20, 10] }, { key: 'loss', steps: [1], values: [21] }] });
    expect(withoutTime(await stored(runId))).toEqual([
      { key: 'loss', step: 0, value: 10 },
      { key: 'loss', step: 1, value: 21 },
      { key: 'loss', step: 2, value: 30 },
    ]);
    const max = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { metric(key: "loss", maxPoints: 2) { totalPoints points { step value } } } }`, { id: runId });
    expect(max.run.metric.totalPoints).toBe(3);
  });

  it('keeps given times and gives a series without times the server time', async () => {
    const runId = await newRun();
    const before = Date.now();
    await gqlOk(app.url, LOG_SERIES, {
      runId,
      series: [
        { key: 'a', steps: [0, 1], values: [0.5, 0.6], times: ['2026-01-02T03:04:05.678Z', '1999-12-31T23:59:59.999Z'] },
        { key: 'b', steps: [0], values: [1] },
      ],
    });
    const rows = await stored(runId);
    expect(rows.filter((r) => r.key === 'a').map((r) => r.time)).toEqual(['2026-01-02T03:04:05.678Z', '1999-12-31T23:59:59.999Z']);
    const serverTime = Date.parse(rows.find((r) => r.key === 'b')!.time);
    expect(serverTime).toBeGreaterThanOrEqual(before - 1);
    expect(serverTime).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a bad element with BAD_USER_INPUT naming it, and stores nothing of the batch', async () => {
    const runId = await newRun();
    const cases: [unknown[], RegExp][] = [
      [[{ key: 'ok', steps: [0, 1], values: [1, 2] }, { key: 'loss', steps: [0, -1], values: [1, 2] }], /series\[1\]\.steps\[1\]: step must be an integer from 0/],
      [[{ key: 'loss', steps: [0, 1], values: [1] }], /series\[0\]\.values: has 1 values for 2 steps/],
      [[{ key: 'loss', steps: [0], values: [1], times: [] }], /series\[0\]\.times: has 0 times for 1 steps/],
      [[{ key: '', steps: [0], values: [1] }], /series\[0\]\.key: key must be 1 to 200 characters/],
      [[{ key: 'a', steps: Array.from({ length: 6_000 }, (_, i) => i), values: new Array(6_000).fill(1) }, { key: 'b', steps: Array.from({ length: 4_001 }, (_, i) => i), values: new Array(4_001).fill(1) }], /at most 10000 points \(got 10001\)/],
    ];
    for (const [series, message] of cases) {
      const result = await gql(app.url, LOG_SERIES, { runId, series });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(message);
    }
    expect(await stored(runId)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown run and CONFLICT into a finished run, storing nothing', async () => {
    const missing = await gql(app.url, LOG_SERIES, { runId: '00000000-0000-4000-8000-000000000000', series: [{ key: 'loss', steps: [0], values: [1] }] });
    expect(errorCode(missing)).toBe('NOT_FOUND');
    const runId = await newRun();
    await gqlOk(app.url, `mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { status } }`, { id: runId });
    const closed = await gql(app.url, LOG_SERIES, { runId, series: [{ key: 'loss', steps: [0], values: [1] }] });
    expect(errorCode(closed)).toBe('CONFLICT');
    expect(await stored(runId)).toEqual([]);
  });

  it('is announced live as MetricsLogged, one event per key with its points in step order', async () => {
    const runId = await newRun();
    const client = wsClient(app.url);
    const events: { key: string; points: { step: number; value: number }[] }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ runEvents: { __typename: string; key: string; points: { step: number; value: number }[] } }>(
        { query: `subscription($runId: ID!) { runEvents(runId: $runId) { __typename ... on MetricsLogged { key points { step value } } } }`, variables: { runId } },
        {
          next: ({ data }) => {
            if (data?.runEvents.__typename === 'MetricsLogged') events.push({ key: data.runEvents.key, points: data.runEvents.points });
            if (events.some((e) => e.key === 'acc')) resolve();
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    try {
      await untilLive((attempt) => gqlOk(app.url, LOG_SERIES, { runId, series: [{ key: 'probe', steps: [attempt], values: [0] }] }), () => events.length > 0);
      await gqlOk(app.url, LOG_SERIES, { runId, series: [{ key: 'loss', steps: [5, 3, 4], values: [0.5, 0.3, 0.4] }, { key: 'acc', steps: [3], values: [0.9] }] });
      await done;
    } finally {
      await client.dispose();
    }
    expect(events.filter((e) => e.key !== 'probe')).toEqual([
      { key: 'loss', points: [{ step: 3, value: 0.3 }, { step: 4, value: 0.4 }, { step: 5, value: 0.5 }] },
      { key: 'acc', points: [{ step: 3, value: 0.9 }] },
    ]);
  });
});
