import type { SqlRunner } from './sql.js';

/** What a worker needs to start a training run; the rest is read from the run row. */
export interface TrainingJob {
  runId: string;
}

/** The kinds of run a worker can be able to train: each has its own queue, so a job only reaches a worker that can run it. */
export type TrainableKind = 'TFJS' | 'REKOGNITION';

/** Evaluating a run's model on other data (evaluateRun, robustness arms): a model_evaluations row. */
export interface EvaluationJob {
  evaluationId: string;
}

export interface EnqueueOptions {
  /** The run's trainer: its job goes to that trainer's queue. */
  trainer: TrainableKind;
  /** Higher first; equal priorities in order of sending. A study's k-th run gets -k, so several studies interleave. */
  priority?: number;
}

export interface ClaimedJob<T> {
  id: string;
  data: T;
  signal?: AbortSignal;
}

/**
 * The queue between the API and the workers. `enqueue` runs inside the caller's
 * transaction: if the run row rolls back, the job never existed.
 */
export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  enqueueTraining(tx: SqlRunner, job: TrainingJob, options: EnqueueOptions): Promise<string>;
  enqueueEvaluation(tx: SqlRunner, job: EvaluationJob): Promise<string>;
  /**
   * Calls `handler` for each training job of the `trainers` this worker has, at most `concurrency`
   * at a time per trainer in this process. Jobs of other trainers wait for a worker that has them.
   */
  workTraining(handler: (job: ClaimedJob<TrainingJob>) => Promise<void>, options: { trainers: readonly TrainableKind[]; concurrency?: number }): Promise<void>;
  /** Calls `handler` for each evaluation job, one at a time in this process. */
  workEvaluations(handler: (job: ClaimedJob<EvaluationJob>) => Promise<void>): Promise<void>;
  /** Takes no more training or evaluation jobs in this process; handlers already running go on. */
  stopWorkingTraining(): Promise<void>;
  cancel(jobId: string): Promise<void>;
  /** Jobs waiting or running (the queue-depth gauge). */
  depth(): Promise<number>;
}
