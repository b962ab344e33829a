import type { Logger } from 'pino';
import type { DatasetImageRecord } from '../../datasets/dataset.record.js';
import type { RunRecord, TrainerKind } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import type { FileSettings, TrainerDescription } from '../../kernel/domain-module.js';

/** What trains a run, recorded on it as it starts (Run.engine, Run.gpuName). */
export interface TrainerEngine {
  name: string;
  gpuName: string | null;
}

/** Everything a trainer needs for one run; the worker owns the run's status around it. */
export interface TrainerContext {
  /** The run, already RUNNING and owned by this worker. */
  run: RunRecord;
  /** Every image of the run's dataset (all splits), in insertion order. */
  images: DatasetImageRecord[];
  services: Services;
  engine: TrainerEngine;
  /** Aborted when the run is cancelled, swept as lost, or the worker shuts down. */
  signal: AbortSignal;
  /** Cheap; check it before each unit of work (a batch) and stop when true. */
  isCancelled(): boolean | Promise<boolean>;
  /** A folder of this run's own, for checkpoints and logs: <dataDir>/runs/<runId>. */
  workDir: string;
  log: Logger;
}

/** What a trainer needs to evaluate a run's model on other images (evaluateRun). */
export interface EvaluationContext {
  /** The run, SUCCEEDED, whose model is evaluated. */
  run: RunRecord;
  /** The images to classify (one split of a dataset); their labels are among the run's. */
  images: DatasetImageRecord[];
  services: Services;
  log: Logger;
}

/**
 * One kind of trainer. `run` records the run's epochs, metrics, artifacts and
 * evaluation through the services and resolves when training is done; the worker
 * then marks the run SUCCEEDED. Throwing marks it FAILED with the error's message,
 * unless the run was cancelled meanwhile.
 */
export interface TrainerJob {
  /** Loaded before the run starts; a failure here fails the run before it is RUNNING. */
  engine?(run: RunRecord): Promise<TrainerEngine>;
  /** What it resolves with is the trainer's own business (logs, tests); the worker ignores it. */
  run(ctx: TrainerContext): Promise<unknown>;
  /** Run.error for a failure of `run`: what went wrong and what to change. Default: the error's message. */
  describeError?(error: unknown, run: RunRecord): string;
  /** Classifies `images` with the run's model: the confusion matrix over the model's labels. Absent: this trainer cannot. */
  evaluate?(ctx: EvaluationContext): Promise<{ labels: string[]; confusionMatrix: number[][]; source: string }>;
}

/** Which trainer runs which kind of run. EXTERNAL runs are never queued. */
export type TrainerRegistry = Partial<Record<Exclude<TrainerKind, 'EXTERNAL'>, TrainerJob>>;

/**
 * One trainer as src/trainers/index.ts registers it: what the API checks
 * (kind, settings) and the job a worker runs. Each lives in src/trainers/<kind>/.
 */
export interface TrainerPlugin extends TrainerDescription {
  /**
   * The job this machine's workers run, or why they can't (a setting it needs is
   * missing). Settings that are present but invalid throw, naming them, so a
   * worker does not start misconfigured.
   */
  createJob(deps: { services: Services; log: Logger; env: NodeJS.ProcessEnv; files: FileSettings }): TrainerJob | { unavailable: string };
}
