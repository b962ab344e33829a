import { z } from 'zod';
import { badInput } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { FileSettings, TrainerDescription } from '../kernel/domain-module.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { JobQueue, TrainableKind } from '../kernel/job-queue.js';
import type { SqlRunner } from '../kernel/sql.js';
import type { DatasetRecord } from '../datasets/dataset.record.js';
import type { RunRecord } from '../runs/run.record.js';
import type { NewRun } from '../runs/run.repository.js';
import { runNameSchema, tagsSchema, type RunService } from '../runs/run.service.js';

const startTrainingSchema = z.object({
  name: runNameSchema,
  datasetId: z.string(),
  trainer: z.enum(['TFJS', 'REKOGNITION', 'EXTERNAL']),
  tags: tagsSchema,
  tfjs: z.unknown().nullish(),
  rekognition: z.unknown().nullish(),
});

/** Strips nulls GraphQL sends for omitted optional fields, so defaults apply. */
function withoutNulls(value: unknown): Record<string, unknown> {
  if (value == null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * startTraining: validates, resolves the full configuration (the recipe
 * fills what the caller left out), and creates the QUEUED run and its job in
 * one transaction, so there is never a run without a job or a job without a run.
 */
export class TrainingService {
  constructor(
    private readonly runs: RunService,
    private readonly datasets: DatasetService,
    private readonly queue: JobQueue,
    /** The trainers this deployment offers (src/trainers/index.ts): their settings are checked here. */
    private readonly trainers: readonly TrainerDescription[],
    private readonly files: FileSettings,
    /** This process's settings, for the trainers' availability (unavailableReason). */
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(input: unknown): Promise<RunRecord> {
    const parsed = parseInput(startTrainingSchema, input, 'input');
    const config = await this.resolveConfig(parsed.trainer, parsed, 'input');
    const dataset = await this.checkTrainable(parsed.datasetId);
    const run = await this.runs.insertAndAnnounce(
      { name: parsed.name, trainer: parsed.trainer, status: 'QUEUED', datasetId: dataset.id, config, tags: parsed.tags, startedAt: null },
      async (tx, run) => {
        await this.queue.enqueueTraining(tx, { runId: run.id }, { trainer: parsed.trainer as TrainableKind });
      },
    );
    // Queued, not refused: a worker elsewhere may have what this process lacks. But the run says why
    // it may wait, naming the setting (the dashboard disables such a trainer for the same reason).
    const unavailable = this.trainer(parsed.trainer)?.unavailableReason?.(this.env);
    if (unavailable) await this.runs.note(run.id, `queued for a worker that can train ${parsed.trainer}; this server cannot: ${unavailable}`);
    return run;
  }

  /** A QUEUED run and its job in the caller's transaction (a study's runs). */
  queueIn(tx: SqlRunner, run: NewRun & { trainer: TrainableKind }, options: { priority?: number } = {}): Promise<RunRecord> {
    return this.runs.insertIn(tx, run, async (tx, row) => {
      await this.queue.enqueueTraining(tx, { runId: row.id }, { ...options, trainer: run.trainer });
    });
  }

  /** The run's full configuration: `{ trainer, [tfjs|rekognition]: settings with the recipe's defaults }`. */
  async resolveConfig(kind: string, input: { tfjs?: unknown; rekognition?: unknown }, prefix: string): Promise<{ trainer: string } & Record<string, unknown>> {
    if (kind === 'EXTERNAL') throw badInput(`${prefix}.trainer: EXTERNAL runs are not trained here; use createRun and report into it`);
    const trainer = this.trainers.find((t) => t.kind === kind);
    if (!trainer) throw badInput(`${prefix}.trainer: ${kind} is not a trainer of this server`);
    const field = trainer.inputField;
    const settings = parseInput(trainer.configSchema, withoutNulls(input[field]), `${prefix}.${field}`);
    await trainer.checkFiles?.(settings, this.files);
    return { trainer: trainer.kind, [field]: settings };
  }

  /** The trainer's description (its settings' field, its cost estimate), or null when this server has none. */
  trainer(kind: string): TrainerDescription | null {
    return this.trainers.find((t) => t.kind === kind) ?? null;
  }

  /** The dataset, when a classifier can be trained and evaluated on it: two TRAIN labels and a TEST split. */
  async checkTrainable(datasetId: string): Promise<DatasetRecord> {
    const dataset = await this.datasets.require(datasetId);
    const counts = await this.datasets.classCounts([dataset.id]);
    const trainLabels = new Set(counts.filter((c) => c.split === 'TRAIN').map((c) => c.label));
    if (trainLabels.size < 2) {
      throw badInput(`dataset "${dataset.name}" has ${trainLabels.size} label(s) with TRAIN images; training a classifier needs at least 2`);
    }
    if (!counts.some((c) => c.split === 'TEST')) {
      throw badInput(`dataset "${dataset.name}" has no TEST images; the evaluation needs a TEST split`);
    }
    return dataset;
  }
}
