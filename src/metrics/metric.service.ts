import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { badInput } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { PubSub } from '../kernel/pubsub.js';
import { packSeries, type MetricsSeries, type RunMessage } from '../kernel/run-event.js';
import type { RunService } from '../runs/run.service.js';
import { conflict, isUuid, notFound } from '../kernel/errors.js';
import type { EpochRecord, MetricPointRecord } from './metric.record.js';
import type { MetricRepository } from './metric.repository.js';
import { MAX_POINTS_PER_BATCH, MAX_STEP, pointBatch, seriesBatch, type MetricBatch, type MetricSeriesInput } from './metric-batch.js';

export { MAX_POINTS_PER_BATCH };
export type { MetricSeriesInput };
export const MAX_SERIES_POINTS = 100_000;

const finite = (name: string) => z.number().refine(Number.isFinite, `${name} must be a finite number`);
const metricKeySchema = z.string().min(1, 'key must not be empty').max(200, 'key must be at most 200 characters')
  .refine((k) => !k.includes('\0'), 'key must not contain NUL bytes');
const pointSchema = z.object({
  key: metricKeySchema,
  step: z.number().int('step must be an integer').min(0, 'step must be >= 0').max(MAX_STEP),
  value: finite('value'),
  time: z.date().nullish(),
});
const batchSchema = z.array(pointSchema).max(MAX_POINTS_PER_BATCH, `a batch holds at most ${MAX_POINTS_PER_BATCH} points; split it`);
const nullableFinite = (name: string) => finite(name).nullish().transform((v) => v ?? null);
const epochSchema = z.object({
  phase: z.string().trim().min(1, 'phase must not be empty').max(64, 'phase must be at most 64 characters').nullish().transform((p) => p ?? 'train'),
  index: z.number().int().min(0, 'index must be >= 0').max(1_000_000, 'index must be at most 1000000'),
  loss: nullableFinite('loss'),
  accuracy: nullableFinite('accuracy'),
  valLoss: nullableFinite('valLoss'),
  valAccuracy: nullableFinite('valAccuracy'),
  learningRate: nullableFinite('learningRate'),
  durationMs: z.number().int().min(0, 'durationMs must be >= 0').nullish().transform((v) => v ?? null),
});

export interface MetricSeries {
  key: string;
  totalPoints: number;
  downsampled: boolean;
  points: MetricPointRecord[];
}

export type MetricPointInput = z.input<typeof pointSchema>;
export type EpochInput = z.input<typeof epochSchema>;

export class MetricService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MetricRepository,
    private readonly runs: RunService,
    private readonly pubsub: PubSub,
  ) {}

  /** Stores a batch whole or not at all and announces it to the run's subscribers. */
  async logMetrics(runId: string, input: MetricPointInput[]): Promise<{ accepted: number }> {
    if (!isUuid(runId)) throw notFound('run', runId);
    // The hand check accepts exactly what batchSchema accepts; anything it
    // doubts goes through zod, which says what is wrong (or, if it accepts it,
    // hands back points the hand check then takes).
    const batch = pointBatch(input) ?? pointBatch(parseInput(batchSchema, input, 'points'));
    if (!batch) throw new Error('logMetrics: a batch the schema accepted failed the hand check');
    await this.store(runId, batch);
    return { accepted: input.length };
  }

  /**
   * The columnar form of logMetrics, with its guarantees: each series is one
   * key's steps and values (and times), so a client sends three arrays instead
   * of 10,000 objects for GraphQL to coerce one by one.
   */
  async logMetricSeries(runId: string, input: readonly MetricSeriesInput[]): Promise<{ accepted: number }> {
    if (!isUuid(runId)) throw notFound('run', runId);
    const batch = seriesBatch(input);
    await this.store(runId, batch);
    return { accepted: input.reduce((n, s) => n + s.steps.length, 0) };
  }

  /** Stores a batch whole or not at all and announces it, in one transaction. */
  private async store(runId: string, batch: MetricBatch): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      const written = await this.repository.upsertPoints(tx, runId, batch.columns);
      if (written !== batch.columns.count) await this.explainClosedRun(runId, 'metrics');
      if (written > 0) await this.repository.refreshSummaries(tx, runId, batch.series.map((s) => s.key));
      if (written > 0) await this.pubsub.publishRunEvent(tx, runId, { type: 'metrics', runId, series: batch.series } satisfies RunMessage);
    });
  }

  async logEpoch(runId: string, input: EpochInput): Promise<EpochRecord> {
    if (!isUuid(runId)) throw notFound('run', runId);
    const epoch = parseInput(epochSchema, input, 'input');
    return inTransaction(this.dataSource, async (tx) => {
      const row = await this.repository.upsertEpoch(tx, { runId, ...epoch });
      if (!row) return this.explainClosedRun(runId, 'epochs');
      await this.repository.refreshSummaries(tx, runId, this.repository.epochSummaryKeys());
      const message: RunMessage = { type: 'epoch', runId, epoch: { ...row, createdAt: row.createdAt.toISOString() } };
      await this.pubsub.publishRunEvent(tx, runId, message);
      return row;
    });
  }

  async series(runId: string, key: string, maxPoints: number | null | undefined, afterStep: number | null | undefined): Promise<MetricSeries> {
    const limit = maxPoints ?? 1000;
    if (!Number.isInteger(limit) || limit < 2 || limit > MAX_SERIES_POINTS) throw badInput(`maxPoints must be between 2 and ${MAX_SERIES_POINTS}; got ${limit}`);
    const after = afterStep ?? -1;
    if (after < -1) throw badInput(`afterStep must be >= 0; got ${after}`);
    const totalPoints = await this.repository.countPoints(runId, key, after);
    if (totalPoints <= limit) {
      const points = totalPoints === 0 ? [] : await this.repository.points(runId, key, after, limit);
      return { key, totalPoints, downsampled: false, points };
    }
    const points = await this.repository.downsampledPoints(runId, key, after, Math.floor(limit / 2));
    return { key, totalPoints, downsampled: true, points };
  }

  /** Each run's metric summaries (of one key, when given), by run then key. */
  summariesOfRuns(runIds: readonly string[], key?: string) {
    return this.repository.summariesOfRuns(runIds, key);
  }

  /** The latest `images_per_second` of every RUNNING run that logs one. */
  latestThroughput() {
    return this.repository.latestValueOfRunningRuns('images_per_second');
  }

  epochsOfRuns(runIds: readonly string[], runner?: SqlRunner) {
    return this.repository.epochsOfRuns(runIds, runner);
  }

  metricKeysOfRuns(runIds: readonly string[], runner?: SqlRunner) {
    return this.repository.metricKeysOfRuns(runIds, -1, runner);
  }

  /** Each key's last step: where a live-only subscription starts. */
  lastStepByKey(runId: string, runner?: SqlRunner) {
    return this.repository.lastStepByKey(runId, runner);
  }

  /** Up to `limit` points of one key after `afterStep`, in step order (a subscription's backlog). */
  pointsAfter(runId: string, key: string, afterStep: number, limit: number, runner?: SqlRunner) {
    return this.repository.points(runId, key, afterStep, limit, runner);
  }

  /** Nothing was written: say why (unknown run, or a finished one). Always throws. */
  private async explainClosedRun(runId: string, what: string): Promise<never> {
    const run = await this.runs.find(runId);
    if (!run) throw notFound('run', runId);
    throw conflict(
      `run ${runId} is ${run.status}: it no longer takes ${what}. Points and epochs can be logged while a run is QUEUED or RUNNING; start a new run to record more`,
      { status: run.status },
    );
  }
}
