import type { DataSource } from 'typeorm';
import { PG, pgCode, type SqlRunner } from '../kernel/sql.js';
import type { EpochRecord, MetricPointRecord, MetricSummaryRecord } from './metric.record.js';
import { EPOCH_SUMMARY_KEYS, REFRESH_SUMMARIES_SQL } from './metric-summary.sql.js';
import { COUNT_POINTS_SQL, DOWNSAMPLE_FROM_ROLLUPS_SQL, ROLLUP_LEVELS, recomputeRollupLevelSql, upsertPointsAndRollupsSql } from './metric-rollup.sql.js';

export const EPOCH_COLUMNS = `run_id AS "runId", phase, index, loss, accuracy, val_loss AS "valLoss", val_accuracy AS "valAccuracy",
  learning_rate AS "learningRate", duration_ms AS "durationMs", created_at AS "createdAt"`;

/** Only runs that are still going take new numbers; the lock keeps finishRun from racing a batch. */
const RUN_IS_OPEN = `EXISTS (SELECT 1 FROM runs WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') FOR SHARE)`;

/**
 * A batch's columns as PostgreSQL array literals (`{"loss","loss"}`, `{0,1}`),
 * `count` points, no (key, step) twice. `times` may be `{}`: every point then
 * takes `now`, as does each NULL in it.
 */
export interface PointColumns {
  count: number;
  keys: string;
  steps: string;
  values: string;
  times: string;
  now: string;
}

/** The only code that touches metric_points and epochs. */
export class MetricRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The whole batch in one statement, with its rollups merged in the same
   * statement: stored whole or not at all, and a point sent again replaces the
   * stored one. When any point was replaced, a second round of statements (one
   * per rollup level, same transaction) recomputes the touched buckets, since a
   * replaced value may have been a bucket's extreme. Returns how many points
   * were written: 0 when the run is not open.
   */
  async upsertPoints(tx: SqlRunner, runId: string, points: PointColumns): Promise<number> {
    const parameters = [runId, points.keys, points.steps, points.values, points.times, points.now];
    type Counts = { written: number; replaced: number }[];
    // Most batches are new points: a plain insert first, inside a savepoint; the upsert when one was stored already.
    await tx.query('SAVEPOINT new_points');
    let row: Counts[number];
    try {
      [row] = await tx.query<Counts>(upsertPointsAndRollupsSql(RUN_IS_OPEN, { newPointsOnly: true }), parameters);
      await tx.query('RELEASE SAVEPOINT new_points');
    } catch (error) {
      if (pgCode(error) !== PG.uniqueViolation) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT new_points');
      [row] = await tx.query<Counts>(upsertPointsAndRollupsSql(RUN_IS_OPEN), parameters);
    }
    if (row.replaced > 0) {
      for (let level = 1; level <= ROLLUP_LEVELS; level++) await tx.query(recomputeRollupLevelSql(level), [runId, points.keys, points.steps]);
    }
    return row.written;
  }

  /** Recomputes the summaries of these keys of a run, in the writer's transaction (see metric-summary.sql.ts). */
  async refreshSummaries(tx: SqlRunner, runId: string, keys: readonly string[]): Promise<void> {
    await tx.query(REFRESH_SUMMARIES_SQL, [runId, keys]);
  }

  /** The keys an epoch's fields are summarised under. */
  epochSummaryKeys(): string[] {
    return Object.keys(EPOCH_SUMMARY_KEYS);
  }

  /** Summaries of these runs (of one key, when given), by run then key. */
  summariesOfRuns(runIds: readonly string[], key?: string): Promise<MetricSummaryRecord[]> {
    return this.dataSource.query(
      `/* summariesOfRuns */ SELECT run_id AS "runId", key, last_value AS last, last_step AS "lastStep", last_time AS "lastTime",
         min_value AS min, max_value AS max, point_count AS count
       FROM metric_summaries WHERE run_id = ANY($1::uuid[]) AND ($2::text IS NULL OR key = $2) ORDER BY run_id, key`,
      [runIds, key ?? null],
    );
  }

  async upsertEpoch(tx: SqlRunner, epoch: Omit<EpochRecord, 'createdAt'>): Promise<EpochRecord | null> {
    const rows = await tx.query<EpochRecord[]>(
      `/* upsertEpoch */ INSERT INTO epochs (run_id, phase, index, loss, accuracy, val_loss, val_accuracy, learning_rate, duration_ms)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE ${RUN_IS_OPEN}
       ON CONFLICT (run_id, phase, index) DO UPDATE SET loss = EXCLUDED.loss, accuracy = EXCLUDED.accuracy,
         val_loss = EXCLUDED.val_loss, val_accuracy = EXCLUDED.val_accuracy, learning_rate = EXCLUDED.learning_rate,
         duration_ms = EXCLUDED.duration_ms
       RETURNING ${EPOCH_COLUMNS}`,
      [epoch.runId, epoch.phase, epoch.index, epoch.loss, epoch.accuracy, epoch.valLoss, epoch.valAccuracy, epoch.learningRate, epoch.durationMs],
    );
    return rows[0] ?? null;
  }

  async latestValueOfRunningRuns(key: string): Promise<{ runId: string; engine: string | null; imagesPerSecond: number }[]> {
    return this.dataSource.query(
      `/* latestValueOfRunningRuns */ SELECT r.id AS "runId", r.engine, p.value AS "imagesPerSecond" FROM runs r
       CROSS JOIN LATERAL (SELECT value FROM metric_points WHERE run_id = r.id AND key = $1 ORDER BY step DESC LIMIT 1) p
       WHERE r.status = 'RUNNING'`,
      [key],
    );
  }

  /** By run, then phases in the order they first appeared, then index. */
  epochsOfRuns(runIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<EpochRecord[]> {
    return runner.query(
      `/* epochsOfRuns */ SELECT ${EPOCH_COLUMNS} FROM epochs WHERE run_id = ANY($1::uuid[])
       ORDER BY run_id, min(seq) OVER (PARTITION BY run_id, phase), index`,
      [runIds],
    );
  }

  /**
   * Each run's distinct keys by skipping through the primary key index (one
   * probe per key), so a run with millions of points answers as fast as one with ten.
   */
  metricKeysOfRuns(runIds: readonly string[], afterStep = -1, runner: SqlRunner = this.dataSource): Promise<{ runId: string; key: string }[]> {
    return runner.query(
      `/* metricKeysOfRuns */ SELECT r.run_id AS "runId", k.key FROM unnest($1::uuid[]) AS r(run_id)
       CROSS JOIN LATERAL (
         WITH RECURSIVE keys AS (
           SELECT (SELECT min(key) FROM metric_points WHERE run_id = r.run_id) AS key
           UNION ALL
           SELECT (SELECT min(key) FROM metric_points WHERE run_id = r.run_id AND key > keys.key) FROM keys WHERE keys.key IS NOT NULL)
         SELECT key FROM keys WHERE key IS NOT NULL) AS k
       WHERE EXISTS (SELECT 1 FROM metric_points p WHERE p.run_id = r.run_id AND p.key = k.key AND p.step > $2)
       ORDER BY 1, 2`,
      [runIds, afterStep],
    );
  }

  /** The last step of each key of a run: one index probe per key. */
  async lastStepByKey(runId: string, runner: SqlRunner = this.dataSource): Promise<{ key: string; step: number }[]> {
    const keys = (await this.metricKeysOfRuns([runId], -1, runner)).map((k) => k.key);
    return runner.query(
      `/* lastStepByKey */ SELECT k AS key, (SELECT max(step) FROM metric_points WHERE run_id = $1 AND key = k) AS step FROM unnest($2::text[]) AS k`,
      [runId, keys],
    );
  }

  /** From the rollups: a handful of rows whatever the series' length (see COUNT_POINTS_SQL). */
  async countPoints(runId: string, key: string, afterStep: number, runner: SqlRunner = this.dataSource): Promise<number> {
    const [row] = await runner.query(COUNT_POINTS_SQL, [runId, key, afterStep]);
    return row.n;
  }

  /** Points after `afterStep`, in step order, at most `limit`. */
  points(runId: string, key: string, afterStep: number, limit: number, runner: SqlRunner = this.dataSource): Promise<MetricPointRecord[]> {
    return runner.query(
      `/* metricPoints */ SELECT step, value, time FROM metric_points
       WHERE run_id = $1 AND key = $2 AND step > $3 ORDER BY step LIMIT $4`,
      [runId, key, afterStep, limit],
    );
  }

  /**
   * The series cut into `buckets` runs of consecutive steps; each bucket gives
   * its minimum and its maximum (one point when they coincide), so spikes and
   * dips survive: between `buckets` and 2 × `buckets` points. Long series are
   * served from the rollups (at most 16 × `buckets` rows read); short ones,
   * where no rollup level has `buckets` buckets, from their points.
   */
  async downsampledPoints(runId: string, key: string, afterStep: number, buckets: number): Promise<MetricPointRecord[]> {
    const fromRollups = await this.dataSource.query<MetricPointRecord[]>(DOWNSAMPLE_FROM_ROLLUPS_SQL, [runId, key, afterStep, buckets]);
    if (fromRollups.length > 0) return fromRollups;
    return this.dataSource.query(
      `/* downsampleMetricPoints */ WITH s AS (
         SELECT step, value, time, ntile($4) OVER (ORDER BY step) AS bucket
         FROM metric_points WHERE run_id = $1 AND key = $2 AND step > $3),
       lows AS (SELECT DISTINCT ON (bucket) step, value, time FROM s ORDER BY bucket, value, step),
       highs AS (SELECT DISTINCT ON (bucket) step, value, time FROM s ORDER BY bucket, value DESC, step)
       SELECT step, value, time FROM lows UNION SELECT step, value, time FROM highs ORDER BY step`,
      [runId, key, afterStep, buckets],
    );
  }
}
