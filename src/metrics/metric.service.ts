import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, type SqlRunner } from '../db/sql.js';
import { badInput } from '../graphql/errors.js';
import { parseInput } from '../graphql/validation.js';
import type { PubSub } from '../pubsub/pubsub.js';
import { runTopic } from '../events/topics.js';
import type { RunMessage } from '../events/run-event.js';
import type { RunService } from '../runs/run.service.js';
import { conflict, isUuid, notFound } from '../graphql/errors.js';
import type { EpochRecord, MetricPointRecord } from './metric.entity.js';
import type { MetricRepository } from './metric.repository.js';

export const MAX_POINTS_PER_BATCH = 10_000;
export const MAX_SERIES_POINTS = 100_000;
const MAX_STEP = 2_147_483_647;

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
    const points = parseInput(batchSchema, input, 'points');
    // (key, step) identifies a point: within one batch the last one wins.
    const byIdentity = new Map<string, { key: string; step: number; value: number; time: string }>();
    const now = new Date().toISOString();
    for (const p of points) byIdentity.set(`${p.step}\u0000${p.key}`, { key: p.key, step: p.step, value: p.value, time: p.time?.toISOString() ?? now });
    const unique = [...byIdentity.values()];
    await inTransaction(this.dataSource, async (tx) => {
      const written = await this.repository.upsertPoints(tx, runId, {
        keys: unique.map((p) => p.key),
        steps: unique.map((p) => p.step),
        values: unique.map((p) => p.value),
        times: unique.map((p) => p.time),
      });
      if (written !== unique.length) await this.explainClosedRun(runId, 'metrics');
      if (written > 0) await this.pubsub.publish(tx, runTopic(runId), metricsMessage(runId, unique));
    });
    return { accepted: points.length };
  }

  async logEpoch(runId: string, input: EpochInput): Promise<EpochRecord> {
    if (!isUuid(runId)) throw notFound('run', runId);
    const epoch = parseInput(epochSchema, input, 'input');
    return inTransaction(this.dataSource, async (tx) => {
      const row = await this.repository.upsertEpoch(tx, { runId, ...epoch });
      if (!row) return this.explainClosedRun(runId, 'epochs');
      const message: RunMessage = { type: 'epoch', runId, epoch: { ...row, createdAt: row.createdAt.toISOString() } };
      await this.pubsub.publish(tx, runTopic(runId), message);
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

  /** The latest `images_per_second` of every RUNNING run that logs one. */
  latestThroughput() {
    return this.repository.latestValueOfRunningRuns('images_per_second');
  }

  epochsOfRuns(runIds: readonly string[], runner?: SqlRunner) {
    return this.repository.epochsOfRuns(runIds, runner);
  }

  metricKeysOfRuns(runIds: readonly string[]) {
    return this.repository.metricKeysOfRuns(runIds);
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

/**
 * One message per batch, in columns: a 10,000-point batch is parked for NOTIFY
 * as ~250 kB of JSON instead of ~700 kB of objects, and a time shared by every
 * point of a series (the usual case: "now") is written once.
 */
function metricsMessage(runId: string, points: { key: string; step: number; value: number; time: string }[]): RunMessage {
  const byKey = new Map<string, { step: number; value: number; time: string }[]>();
  for (const p of points) {
    let list = byKey.get(p.key);
    if (!list) byKey.set(p.key, (list = []));
    list.push(p);
  }
  const series = [...byKey].map(([key, list]) => {
    list.sort((a, b) => a.step - b.step);
    const sameTime = list.every((p) => p.time === list[0].time);
    return { key, steps: list.map((p) => p.step), values: list.map((p) => p.value), times: sameTime ? [list[0].time] : list.map((p) => p.time) };
  });
  return { type: 'metrics', runId, series };
}
