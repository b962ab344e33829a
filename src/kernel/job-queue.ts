import type { SqlRunner } from './sql.js';

/** What a worker needs to start a training run; the rest is read from the run row. */
export interface TrainingJob {
  runId: string;
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
  enqueueTraining(tx: SqlRunner, job: TrainingJob): Promise<string>;
  /** Calls `handler` for each training job, at most `concurrency` at a time in this process. */
  workTraining(handler: (job: ClaimedJob<TrainingJob>) => Promise<void>, options?: { concurrency?: number }): Promise<void>;
  /** Takes no more training jobs in this process; handlers already running go on. */
  stopWorkingTraining(): Promise<void>;
  cancel(jobId: string): Promise<void>;
  /** Jobs waiting or running (the queue-depth gauge). */
  depth(): Promise<number>;
}
