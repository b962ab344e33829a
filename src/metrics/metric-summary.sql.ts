/**
 * SQL for metric_summaries (migrations/1764723600000-projects-params-summaries.ts):
 * per (run, key) the last value (at the highest step), minimum, maximum and
 * count, rewritten in the transaction that stores points or an epoch, so
 * Query.runs filters and sorts on one row per run and key.
 *
 * Points are read from the coarsest rollup level (one row per 16^6 steps:
 * at most 128 per key) and the last point by its index; an epoch's values
 * count under the epochs' key names, read from the run's epochs (a handful
 * of rows). Keys are written in key order, so concurrent writers lock the
 * rows in one order and cannot deadlock.
 */
import { ROLLUP_LEVELS } from './metric-rollup.sql.js';

/** Epoch fields as summary keys: what Keras and the trainers call them. */
export const EPOCH_SUMMARY_KEYS: Record<string, string> = {
  loss: 'loss',
  accuracy: 'accuracy',
  val_loss: 'val_loss',
  val_accuracy: 'val_accuracy',
  learning_rate: 'learning_rate',
};

const epochValue = `CASE k.key ${Object.entries(EPOCH_SUMMARY_KEYS).map(([key, column]) => `WHEN '${key}' THEN e.${column}`).join(' ')} END`;

/** $1 the run, $2 the keys to recompute (text[]). */
export const REFRESH_SUMMARIES_SQL = `/* refreshMetricSummaries */ WITH k AS (SELECT DISTINCT key FROM unnest($2::text[]) AS key),
  computed AS (
    SELECT k.key,
      coalesce(lp.step, ep.n - 1) AS last_step,
      coalesce(lp.value, ep.last_value) AS last_value,
      coalesce(lp.time, ep.last_time) AS last_time,
      least(r.lo, ep.lo) AS min_value,
      greatest(r.hi, ep.hi) AS max_value,
      coalesce(r.n, 0) + coalesce(ep.n, 0) AS n
    FROM k
    LEFT JOIN LATERAL (SELECT step, value, time FROM metric_points WHERE run_id = $1 AND key = k.key ORDER BY step DESC LIMIT 1) lp ON TRUE
    LEFT JOIN LATERAL (SELECT min(min_value) AS lo, max(max_value) AS hi, sum(point_count)::int AS n FROM metric_rollups
                       WHERE run_id = $1 AND key = k.key AND level = ${ROLLUP_LEVELS}) r ON TRUE
    LEFT JOIN LATERAL (SELECT min(v) AS lo, max(v) AS hi, count(v)::int AS n,
                         (array_agg(v ORDER BY seq DESC) FILTER (WHERE v IS NOT NULL))[1] AS last_value,
                         (array_agg(created_at ORDER BY seq DESC) FILTER (WHERE v IS NOT NULL))[1] AS last_time
                       FROM (SELECT e.seq, e.created_at, ${epochValue} AS v FROM epochs e
                             WHERE e.run_id = $1 AND k.key IN (${Object.keys(EPOCH_SUMMARY_KEYS).map((key) => `'${key}'`).join(', ')})) AS e) ep ON TRUE),
  gone AS (DELETE FROM metric_summaries s USING computed c WHERE s.run_id = $1 AND s.key = c.key AND c.n = 0)
  INSERT INTO metric_summaries (run_id, key, last_step, last_value, last_time, min_value, max_value, point_count)
  SELECT $1, key, last_step, last_value, last_time, min_value, max_value, n FROM computed WHERE n > 0 ORDER BY key
  ON CONFLICT (run_id, key) DO UPDATE SET last_step = EXCLUDED.last_step, last_value = EXCLUDED.last_value, last_time = EXCLUDED.last_time,
    min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value, point_count = EXCLUDED.point_count`;

