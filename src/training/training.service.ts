import { z } from 'zod';
import { badInput } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { JobQueue } from '../kernel/job-queue.js';
import type { RunRecord } from '../runs/run.record.js';
import { runNameSchema, tagsSchema, type RunService } from '../runs/run.service.js';
import { tfjsConfigSchema } from '../trainers/tfjs/tfjs-config.js';

export const rekognitionConfigSchema = z.object({
  projectName: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/, 'projectName: 1-255 letters, digits, "_", "." or "-"').nullish().transform((v) => v ?? null),
  versionName: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/, 'versionName: 1-255 letters, digits, "_", "." or "-"').nullish().transform((v) => v ?? null),
  evaluateWithInference: z.boolean().nullish().transform((v) => v ?? false),
  minInferenceUnits: z.number().int().min(1, 'minInferenceUnits must be at least 1').max(100).nullish().transform((v) => v ?? 1),
});

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
 * startTraining: validates, resolves the full configuration (the study's recipe
 * fills what the caller left out), and creates the QUEUED run and its job in
 * one transaction, so there is never a run without a job or a job without a run.
 */
export class TrainingService {
  constructor(
    private readonly runs: RunService,
    private readonly datasets: DatasetService,
    private readonly queue: JobQueue,
  ) {}

  async start(input: unknown): Promise<RunRecord> {
    const parsed = parseInput(startTrainingSchema, input, 'input');
    if (parsed.trainer === 'EXTERNAL') throw badInput('input.trainer: EXTERNAL runs are not trained here; use createRun and report into it');
    const config =
      parsed.trainer === 'TFJS'
        ? { trainer: 'TFJS', tfjs: parseInput(tfjsConfigSchema, withoutNulls(parsed.tfjs), 'input.tfjs') }
        : { trainer: 'REKOGNITION', rekognition: parseInput(rekognitionConfigSchema, withoutNulls(parsed.rekognition), 'input.rekognition') };
    const dataset = await this.datasets.require(parsed.datasetId);
    const counts = await this.datasets.classCounts([dataset.id]);
    const trainLabels = new Set(counts.filter((c) => c.split === 'TRAIN').map((c) => c.label));
    if (trainLabels.size < 2) {
      throw badInput(`dataset "${dataset.name}" has ${trainLabels.size} label(s) with TRAIN images; training a classifier needs at least 2`);
    }
    if (!counts.some((c) => c.split === 'TEST')) {
      throw badInput(`dataset "${dataset.name}" has no TEST images; the evaluation needs a TEST split`);
    }
    return this.runs.insertAndAnnounce(
      { name: parsed.name, trainer: parsed.trainer, status: 'QUEUED', datasetId: dataset.id, config, tags: parsed.tags, startedAt: null },
      async (tx, run) => {
        await this.queue.enqueueTraining(tx, { runId: run.id });
      },
    );
  }
}
