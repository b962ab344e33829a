import type { Logger } from 'pino';
import type { RunRecord } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import { rekognitionConfigSchema } from './run-settings.js';
import { createAwsClients, type AwsClients } from './aws-clients.js';
import { realSleep, type CallPolicy, type Sleep } from './aws-call.js';
import { RekognitionTrainerError } from './aws-errors.js';
import type { RekognitionConfig } from './config.js';
import { sweepManagedModels, type SweptModel } from './model-version.js';
import type { RekognitionSession } from './project-datasets.js';
import { RekognitionTraining } from './rekognition-training.js';

/** Metric keys this trainer writes (step 0 unless said otherwise). */
export const REKOGNITION_METRICS = {
  /** Seconds since training started; step = poll number, one point per status poll. */
  elapsedSeconds: 'rekognition_elapsed_seconds',
  billableTrainingSeconds: 'rekognition_billable_training_seconds',
  estimatedCostUsd: 'rekognition_estimated_cost_usd',
  inferenceSeconds: 'rekognition_inference_seconds',
  imagesUploaded: 'rekognition_images_uploaded',
  imagesSkipped: 'rekognition_images_skipped',
  f1Score: 'rekognition_f1_score',
  /** Per label, from the summary at Rekognition's own threshold: `<key>/<label>`. */
  labelPrecision: 'rekognition_label_precision',
  labelRecall: 'rekognition_label_recall',
  labelF1: 'rekognition_label_f1',
  labelThreshold: 'rekognition_label_threshold',
} as const;

/** What this trainer needs of the worker's TrainerContext (a structural subset of it). */
export interface RekognitionTrainerContext {
  run: RunRecord;
  images: readonly { uri: string; label: string; split: string }[];
  services: Pick<Services, 'metrics' | 'evaluations' | 'artifacts'> & { runs: Pick<Services['runs'], 'note'> };
  signal?: AbortSignal;
  isCancelled(): boolean | Promise<boolean>;
  workDir: string;
  log: Logger;
}

export interface RekognitionOutcome {
  projectName: string;
  projectArn: string;
  versionName: string;
  versionArn: string;
  billableTrainingSeconds: number | null;
  inferenceSeconds: number;
  estimatedCostUsd: number;
  f1Score: number | null;
  summaryUri: string | null;
  /** Evaluation.source as stored; null when no evaluation could be stored. */
  evaluationSource: string | null;
  images: { uploaded: number; skipped: number };
}

export interface RekognitionTrainerDeps {
  config: RekognitionConfig;
  /** Default: createAwsClients(config). */
  clients?: AwsClients;
  sleep?: Sleep;
  now?: () => number;
  /** Called with each successful run's outcome (e.g. to put cost and ARNs on the run once the core has a place). */
  onOutcome?: (run: RunRecord, outcome: RekognitionOutcome) => void | Promise<void>;
}

export interface RekognitionTrainerJob {
  engine(run?: RunRecord): Promise<{ name: string; gpuName: string | null }>;
  /** The worker's entry point (TrainerJob.run): trains, records, resolves when done. */
  run(ctx: RekognitionTrainerContext): Promise<void>;
  /** The same, answering what it did: ARNs, billable time, estimated cost, evaluation source. */
  train(ctx: RekognitionTrainerContext): Promise<RekognitionOutcome>;
  describeError(error: unknown, run?: RunRecord): string;
  /** For the worker's start: stops Epochal's models a crash left STARTING/RUNNING. */
  sweepRunningModels(options: SweepOptions): Promise<SweptModel[]>;
}

export interface SweepOptions {
  log: Logger;
  /**
   * Whether the model of this run should keep running. Default: never: right
   * for a single worker at its start, when none of its own jobs is in flight.
   * With several workers, pass one that answers true for runs still RUNNING.
   */
  isRunActive?: (runId: string | null) => boolean | Promise<boolean>;
}

const MAX_ERROR_LENGTH = 2_000;

/** The REKOGNITION trainer: one Custom Labels training per run, evaluated on the run's TEST split. */
export function createRekognitionTrainerJob(deps: RekognitionTrainerDeps): RekognitionTrainerJob {
  let clients = deps.clients ?? null;
  const getClients = () => (clients ??= createAwsClients(deps.config));
  return {
    async engine() {
      return { name: 'rekognition', gpuName: null };
    },
    train: (ctx) => new RekognitionTraining({ ...deps, clients: getClients() }, ctx).run(),
    async run(ctx) {
      const outcome = await new RekognitionTraining({ ...deps, clients: getClients() }, ctx).run();
      await deps.onOutcome?.(ctx.run, outcome);
    },
    describeError(error) {
      const message = error instanceof Error ? error.message || error.name : String(error);
      return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
    },
    async sweepRunningModels(options) {
      const session = sessionFor({ ...deps, clients: getClients() }, options.log, () => false);
      const swept = await sweepManagedModels(session, async (runId) => !(await (options.isRunActive?.(runId) ?? false)));
      if (swept.length) options.log.warn({ swept }, `found ${swept.length} Epochal model(s) left running; stopped ${swept.filter((s) => s.stopped).length}`);
      return swept;
    },
  };
}

export function sessionFor(deps: RekognitionTrainerDeps & { clients: AwsClients }, log: Logger, isCancelled: () => boolean | Promise<boolean>): RekognitionSession {
  const { config } = deps;
  const policy: CallPolicy = {
    bucket: config.bucket,
    region: config.region,
    retries: config.throttleRetries,
    baseDelayMs: Math.min(config.pollMs, 1_000),
    maxDelayMs: config.maxPollMs,
    sleep: deps.sleep ?? realSleep,
    log,
    isCancelled,
  };
  return { client: deps.clients.rekognition, policy, log, pollMs: config.pollMs, maxPollMs: config.maxPollMs };
}

/** The run's stored configuration, checked again (stored JSON is not trusted), with names derived where empty. */
export function rekognitionSettingsOf(run: RunRecord) {
  const parsed = rekognitionConfigSchema.safeParse((run.config as { rekognition?: unknown }).rekognition ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'rekognition'}: ${i.message}`).join('; ');
    throw new RekognitionTrainerError(`run ${run.id} has an invalid REKOGNITION configuration (${problems}); start a new run`);
  }
  const settings = parsed.data;
  return {
    projectName: settings.projectName ?? `epochal-${run.datasetId ?? run.id}`,
    versionName: settings.versionName ?? `run-${run.id}`,
    evaluateWithInference: settings.evaluateWithInference,
    minInferenceUnits: settings.minInferenceUnits,
  };
}

/** USD: billable training hours at the training price, plus inference-unit hours while the model ran. */
export function estimateCostUsd(config: Pick<RekognitionConfig, 'trainingUsdPerHour' | 'inferenceUsdPerUnitHour'>, billableTrainingSeconds: number | null, inferenceSeconds: number, inferenceUnits: number): number {
  const training = ((billableTrainingSeconds ?? 0) / 3600) * config.trainingUsdPerHour;
  const inference = (inferenceSeconds / 3600) * inferenceUnits * config.inferenceUsdPerUnitHour;
  return Math.round((training + inference) * 10_000) / 10_000;
}
