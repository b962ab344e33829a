import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups of metric_points, maintained by logMetrics in the same transaction as
 * the points: for every (run, key) and level 1..6, one row per bucket of 16^level
 * consecutive steps with its point count and its minimum and maximum (and their
 * steps). A 1,000,000-point curve is then downsampled from a few thousand rollup
 * rows instead of every point, and counted from at most ~100 rows
 * (see src/metrics/metric-rollup.sql.ts). Existing points are rolled up here once.
 */
export class MetricRollups1764460800000 implements MigrationInterface {
  name = 'MetricRollups1764460800000';

  async up(q: QueryRunner): Promise<void> {
    // fillfactor leaves room on each page so the hot last bucket of each level is updated in place (HOT).
    await q.query(`
      CREATE TABLE metric_rollups (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key text NOT NULL,
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 6),
        bucket integer NOT NULL CHECK (bucket >= 0),
        point_count integer NOT NULL CHECK (point_count >= 0),
        min_value double precision NOT NULL,
        min_step integer NOT NULL,
        max_value double precision NOT NULL,
        max_step integer NOT NULL,
        PRIMARY KEY (run_id, key, level, bucket)
      ) WITH (fillfactor = 90)`);
    for (let level = 1; level <= 6; level++) {
      await q.query(
        `INSERT INTO metric_rollups (run_id, key, level, bucket, point_count, min_value, min_step, max_value, max_step)
         SELECT run_id, key, $1::smallint, step >> (4 * $1::int), count(*),
           (min(ARRAY[value, step]))[1], (min(ARRAY[value, step]))[2]::int, (max(ARRAY[value, -step]))[1], (-(max(ARRAY[value, -step]))[2])::int
         FROM metric_points GROUP BY run_id, key, step >> (4 * $1::int)`,
        [level],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS metric_rollups`);
  }
}
