/**
 * SQL for metric_rollups (migrations/1764460800000-metric-rollups.ts): per (run,
 * key) and level L in 1..6, one row per bucket of 16^L consecutive steps
 * (bucket = step >> 4L) with its point count, minimum and maximum and their steps.
 *
 * Extremes travel as float8 pairs so one aggregate keeps a value with its step:
 * `min(ARRAY[value, step])` is the smallest value, lowest step first on ties,
 * and `max(ARRAY[value, -step])` the largest value, lowest step first on ties,
 * the same choices the whole-series downsampling makes. Steps are < 2^31, exact
 * in a float8.
 */

export const ROLLUP_LEVELS = 6;
const LEVEL_BITS = 4;

/** Rolls level L-1 up into level L (level 1 from the written points). */
function rollupLevel(level: number): string {
  const from = level === 1 ? 'written' : `level${level - 1}`;
  const added = level === 1 ? `count(*) FILTER (WHERE NOT replaced)` : `sum(added)`;
  const lo = level === 1 ? `min(ARRAY[value, step])` : `min(lo)`;
  const hi = level === 1 ? `max(ARRAY[value, -step])` : `max(hi)`;
  const bucket = level === 1 ? `step >> ${LEVEL_BITS}` : `bucket >> ${LEVEL_BITS}`;
  return `level${level} AS (SELECT key, ${bucket} AS bucket, ${added} AS added, ${lo} AS lo, ${hi} AS hi FROM ${from} GROUP BY 1, 2)`;
}

const levels = Array.from({ length: ROLLUP_LEVELS }, (_, i) => i + 1);

/**
 * The points' upsert and the rollups' merge in one statement: $1 the run,
 * $2..$5 the batch's columns, $6 the time of points whose time is NULL (or
 * missing: unnest pads a shorter times array with NULLs); `runIsOpen` is the
 * caller's guard on $1.
 * A point sent again counts once; its new value is merged as a candidate
 * extreme, and when any point was replaced the caller recomputes the touched
 * buckets exactly (an old extreme may be gone). Rollup rows are written in
 * (key, level, bucket) order so concurrent batches of one series lock them in
 * the same order and cannot deadlock.
 *
 * `newPointsOnly`: a plain INSERT instead of the upsert, for the usual batch of
 * points never sent before; it fails on the first point already stored (unique
 * violation), and the caller then runs the upsert. The upsert's speculative
 * insertion cost 15% of the insert (BENCHMARKS.md, columnar ingestion).
 */
export function upsertPointsAndRollupsSql(runIsOpen: string, options: { newPointsOnly?: boolean } = {}): string {
  const onConflict = options.newPointsOnly ? '' : 'ON CONFLICT (run_id, key, step) DO UPDATE SET value = EXCLUDED.value, time = EXCLUDED.time';
  const replaced = options.newPointsOnly ? 'false' : "xmax <> '0'::xid";
  return `/* ${options.newPointsOnly ? 'insertNewMetricPoints' : 'upsertMetricPoints'} */ WITH written AS (
    INSERT INTO metric_points (run_id, key, step, value, time)
    SELECT $1, k, s, v, coalesce(t, $6::timestamptz) FROM unnest($2::text[], $3::int[], $4::float8[], $5::timestamptz[]) AS p(k, s, v, t)
    WHERE ${runIsOpen}
    ${onConflict}
    RETURNING key, step, value, ${replaced} AS replaced),
  ${levels.map(rollupLevel).join(',\n  ')},
  rolled AS (
    INSERT INTO metric_rollups AS r (run_id, key, level, bucket, point_count, min_value, min_step, max_value, max_step)
    SELECT $1, key, level, bucket, added, lo[1], lo[2]::int, hi[1], (-hi[2])::int
    FROM (${levels.map((l) => `SELECT ${l} AS level, * FROM level${l}`).join(' UNION ALL ')}) AS each_level
    ORDER BY key, level, bucket
    ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET
      point_count = r.point_count + EXCLUDED.point_count,
      min_value = CASE WHEN (EXCLUDED.min_value, EXCLUDED.min_step) < (r.min_value, r.min_step) THEN EXCLUDED.min_value ELSE r.min_value END,
      min_step = CASE WHEN (EXCLUDED.min_value, EXCLUDED.min_step) < (r.min_value, r.min_step) THEN EXCLUDED.min_step ELSE r.min_step END,
      max_value = CASE WHEN (EXCLUDED.max_value, -EXCLUDED.max_step) > (r.max_value, -r.max_step) THEN EXCLUDED.max_value ELSE r.max_value END,
      max_step = CASE WHEN (EXCLUDED.max_value, -EXCLUDED.max_step) > (r.max_value, -r.max_step) THEN EXCLUDED.max_step ELSE r.max_step END
    RETURNING 1)
  SELECT (SELECT count(*)::int FROM written) AS written, (SELECT count(*)::int FROM written WHERE replaced) AS replaced,
    (SELECT count(*)::int FROM rolled) AS rollups`;
}

/**
 * Recomputes, at one level, the buckets that hold any of the batch's steps:
 * level 1 from the points, level L from level L-1. Run level by level (each
 * statement sees the previous one's rows); only needed when points were replaced.
 */
export function recomputeRollupLevelSql(level: number): string {
  const shift = LEVEL_BITS * level;
  const source = level === 1
    ? `SELECT count(*)::int AS n, min(ARRAY[p.value, p.step]) AS lo, max(ARRAY[p.value, -p.step]) AS hi FROM metric_points p
       WHERE p.run_id = $1 AND p.key = t.key AND p.step >= t.bucket << ${LEVEL_BITS} AND p.step < (t.bucket + 1) << ${LEVEL_BITS}`
    : `SELECT sum(c.point_count)::int AS n, min(ARRAY[c.min_value, c.min_step]) AS lo, max(ARRAY[c.max_value, -c.max_step]) AS hi FROM metric_rollups c
       WHERE c.run_id = $1 AND c.key = t.key AND c.level = ${level - 1} AND c.bucket >= t.bucket << ${LEVEL_BITS} AND c.bucket < (t.bucket + 1) << ${LEVEL_BITS}`;
  return `/* recomputeMetricRollups */ UPDATE metric_rollups r
    SET point_count = s.n, min_value = s.lo[1], min_step = s.lo[2]::int, max_value = s.hi[1], max_step = (-s.hi[2])::int
    FROM (SELECT t.key, t.bucket, agg.* FROM (SELECT DISTINCT k AS key, (s::bigint >> ${shift}) AS bucket FROM unnest($2::text[], $3::int[]) AS u(k, s)) AS t
          CROSS JOIN LATERAL (${source}) AS agg) AS s
    WHERE r.run_id = $1 AND r.key = s.key AND r.level = ${level} AND r.bucket = s.bucket`;
}

/**
 * Points after $3, counted from at most 15 rollup rows per level plus at most
 * 15 points: level L covers the whole level-L buckets after $3 up to the first
 * whole bucket of level L+1 (level 6 covers the rest).
 */
export const COUNT_POINTS_SQL = `/* countMetricPoints */ WITH bounds AS (
    SELECT level, ($3::bigint + (1::bigint << (${LEVEL_BITS} * level))) >> (${LEVEL_BITS} * level) AS lo,
      CASE WHEN level = ${ROLLUP_LEVELS} THEN 2147483647::bigint
           ELSE (($3::bigint + (1::bigint << (${LEVEL_BITS} * (level + 1)))) >> (${LEVEL_BITS} * (level + 1))) << ${LEVEL_BITS} END AS hi
    FROM generate_series(1, ${ROLLUP_LEVELS}) AS level)
  SELECT ((SELECT count(*) FROM metric_points WHERE run_id = $1 AND key = $2 AND step > $3
             AND step < (($3::bigint + ${1 << LEVEL_BITS}) >> ${LEVEL_BITS}) << ${LEVEL_BITS})
        + coalesce((SELECT sum(s.n) FROM bounds b CROSS JOIN LATERAL (
             SELECT sum(r.point_count) AS n FROM metric_rollups r
             WHERE r.run_id = $1 AND r.key = $2 AND r.level = b.level AND r.bucket >= b.lo AND r.bucket < b.hi) AS s), 0))::int AS n`;

/**
 * Downsampling from the coarsest level that still has at least $4 whole buckets
 * after $3 (so at most 16 × $4 rows are read), its buckets cut into $4 groups
 * of consecutive buckets, each giving its minimum and maximum: between $4 and
 * 2 × $4 points. Points after $3 in front of that level's first whole bucket
 * form one more row, summarised from the points themselves. No rows when no
 * level has $4 buckets: the series is short and the caller reads the points.
 */
export const DOWNSAMPLE_FROM_ROLLUPS_SQL = `/* downsampleMetricRollups */ WITH levels AS (
    SELECT level, ($3::bigint + (1::bigint << (${LEVEL_BITS} * level))) >> (${LEVEL_BITS} * level) AS first_whole
    FROM generate_series(1, ${ROLLUP_LEVELS}) AS level),
  sized AS (
    SELECT l.level, l.first_whole, (SELECT count(*) FROM (SELECT 1 FROM metric_rollups r
      WHERE r.run_id = $1 AND r.key = $2 AND r.level = l.level AND r.bucket >= l.first_whole LIMIT $4::int) AS c) AS n
    FROM levels l),
  chosen AS (SELECT level, first_whole FROM sized WHERE n >= $4::int ORDER BY level DESC LIMIT 1),
  head AS (
    -- LATERAL: a parameterised index range scan. As a plain join the planner, not knowing the bound, took
    -- it for a third of the series and scanned the table (400 ms instead of 10 on ten 1M-point runs).
    SELECT -1::bigint AS bucket, agg.lo, agg.hi
    FROM chosen c CROSS JOIN LATERAL (
      SELECT count(*) AS n, min(ARRAY[p.value, p.step]) AS lo, max(ARRAY[p.value, -p.step]) AS hi FROM metric_points p
      WHERE p.run_id = $1 AND p.key = $2 AND p.step > $3 AND p.step < c.first_whole << (${LEVEL_BITS} * c.level)) AS agg
    WHERE agg.n > 0),
  candidates AS (
    SELECT bucket, lo, hi FROM head
    UNION ALL
    SELECT r.bucket, ARRAY[r.min_value, r.min_step], ARRAY[r.max_value, -r.max_step]
    FROM chosen c JOIN metric_rollups r ON r.run_id = $1 AND r.key = $2 AND r.level = c.level AND r.bucket >= c.first_whole),
  grouped AS (SELECT ntile($4::int) OVER (ORDER BY bucket) AS g, lo, hi FROM candidates),
  picked AS (SELECT min(lo) AS lo, max(hi) AS hi FROM grouped GROUP BY g),
  steps AS (SELECT lo[2]::int AS step FROM picked UNION SELECT (-hi[2])::int FROM picked)
  SELECT p.step, p.value, p.time FROM steps s JOIN metric_points p ON p.run_id = $1 AND p.key = $2 AND p.step = s.step
  ORDER BY p.step`;
