import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { gqlOk } from '../support/graphql-client.js';
import { createRun, logMetrics } from '../support/testkit.js';

/**
 * metric_rollups are maintained by logMetrics and serve counting and
 * downsampling of long series: they must always equal what the points say,
 * including after points are replaced and when batches of one series race.
 */
const app = useTestApp();

const SERIES = `query($id: ID!, $key: String!, $maxPoints: Int, $afterStep: Int) {
  run(id: $id) { metric(key: $key, maxPoints: $maxPoints, afterStep: $afterStep) { totalPoints downsampled points { step value } } }
}`;

type Point = { key: string; step: number; value: number };

/** A deterministic pseudo-random walk, so failures reproduce. */
function walk(n: number, offset = 0, seed = 1): Point[] {
  let x = seed;
  return Array.from({ length: n }, (_, i) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return { key: 'loss', step: offset + i, value: Math.round((x / 2_147_483_648) * 1000) / 100 };
  });
}

/** Rows of metric_rollups that differ from a recomputation from metric_points (none when exact). */
async function rollupMismatches(runId: string): Promise<unknown[]> {
  return app.dataSource.query(
    `WITH expected AS (
       SELECT key, level, step >> (4 * level) AS bucket, count(*)::int AS point_count,
         (min(ARRAY[value, step]))[1] AS min_value, (min(ARRAY[value, step]))[2]::int AS min_step,
         (max(ARRAY[value, -step]))[1] AS max_value, (-(max(ARRAY[value, -step]))[2])::int AS max_step
       FROM metric_points CROSS JOIN generate_series(1, 6) AS level WHERE run_id = $1 GROUP BY 1, 2, 3),
     actual AS (SELECT key, level, bucket, point_count, min_value, min_step, max_value, max_step FROM metric_rollups WHERE run_id = $1)
     (SELECT 'missing' AS kind, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) AS m)
     UNION ALL
     (SELECT 'unexpected', * FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) AS u)
     LIMIT 5`,
    [runId],
  );
}

describe('metric rollups', () => {
  it('match the points after appends, and after replacements that remove a spike and move extremes', async () => {
    const runId = await createRun(app, { name: 'rollups' });
    const points = walk(30_000);
    points[12_345].value = 99;
    for (let offset = 0; offset < points.length; offset += 10_000) {
      await logMetrics(app, runId, points.slice(offset, offset + 10_000));
    }
    expect(await rollupMismatches(runId)).toEqual([]);
    const before = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 100 });
    expect(before.run.metric.points).toContainEqual({ step: 12_345, value: 99 });

    // A re-sent batch with other values: the spike is gone, new extremes appear elsewhere.
    const resent = points.slice(10_000, 20_000).map((p) => ({ ...p, value: p.step === 15_000 ? -7 : p.value / 2 }));
    await logMetrics(app, runId, resent);
    expect(await rollupMismatches(runId)).toEqual([]);
    const after = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 100 });
    expect(after.run.metric.totalPoints).toBe(30_000);
    expect(after.run.metric.points).not.toContainEqual({ step: 12_345, value: 99 });
    expect(after.run.metric.points).toContainEqual({ step: 15_000, value: -7 });
  });

  it('count exactly after any step, across bucket edges of every level', async () => {
    const runId = await createRun(app, { name: 'rollups' });
    // Gaps and two keys, so buckets are partly filled.
    const points = [...walk(9_000, 0), ...walk(5_000, 70_000, 2), ...walk(3_000, 1_100_000, 3)]
      .filter((p) => p.step % 7 !== 3)
      .flatMap((p) => [p, { ...p, key: 'acc' }]);
    for (let offset = 0; offset < points.length; offset += 10_000) {
      await logMetrics(app, runId, points.slice(offset, offset + 10_000));
    }
    for (const afterStep of [-1, 0, 14, 15, 16, 255, 256, 4095, 4096, 8_999, 65_535, 70_000, 74_999, 1_048_575, 1_048_576, 1_100_001, 1_200_000]) {
      const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'acc', maxPoints: 10, afterStep });
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM metric_points WHERE run_id = $1 AND key = 'acc' AND step > $2`, [runId, afterStep]);
      expect({ afterStep, total: run.metric.totalPoints }).toEqual({ afterStep, total: n });
      if (n > 10) {
        expect(run.metric.points.length).toBeGreaterThanOrEqual(5);
        expect(run.metric.points.length).toBeLessThanOrEqual(10);
        expect(run.metric.points.every((p: { step: number }) => p.step > afterStep)).toBe(true);
      }
    }
  });

  it('downsample from afterStep with every group\'s minimum and maximum', async () => {
    const runId = await createRun(app, { name: 'rollups' });
    const points = walk(50_000, 0, 5);
    points[41_111].value = 1_000;
    points[30_003].value = -1_000;
    for (let offset = 0; offset < points.length; offset += 10_000) {
      await logMetrics(app, runId, points.slice(offset, offset + 10_000));
    }
    const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 400, afterStep: 30_000 });
    expect(run.metric).toMatchObject({ totalPoints: 19_999, downsampled: true });
    expect(run.metric.points.length).toBeGreaterThanOrEqual(200);
    expect(run.metric.points.length).toBeLessThanOrEqual(400);
    expect(run.metric.points[0].step).toBeGreaterThan(30_000);
    expect(run.metric.points).toContainEqual({ step: 41_111, value: 1_000 });
    expect(run.metric.points).toContainEqual({ step: 30_003, value: -1_000 });
    // Consecutive groups: the series' global extremes within any window of returned steps are among the returned points.
    const steps = run.metric.points.map((p: { step: number }) => p.step);
    expect(steps).toEqual([...steps].sort((a: number, b: number) => a - b));
  });

  it('stay exact when batches of one series race, new and replaced points mixed', async () => {
    const runId = await createRun(app, { name: 'rollups' });
    const points = walk(40_000, 0, 9);
    await Promise.all(Array.from({ length: 8 }, (_, c) => (async () => {
      // Interleaved steps: every client touches every bucket; half of them also re-send a neighbour's points.
      const mine = points.filter((p) => p.step % 8 === c || (c % 2 === 1 && p.step % 8 === c - 1)).map((p) => ({ ...p, value: p.value + c }));
      for (let offset = 0; offset < mine.length; offset += 5_000) await logMetrics(app, runId, mine.slice(offset, offset + 5_000));
    })()));
    expect(await rollupMismatches(runId)).toEqual([]);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM metric_points WHERE run_id = $1`, [runId]);
    expect(n).toBe(40_000);
    const { run } = await gqlOk(app.url, SERIES, { id: runId, key: 'loss', maxPoints: 1000 });
    expect(run.metric.totalPoints).toBe(40_000);
  });
});
