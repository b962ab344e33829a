import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { SqlRunner } from '../kernel/sql.js';
import type { ClaimedJob, EnqueueOptions, EvaluationJob, JobQueue, TrainableKind, TrainingJob } from '../kernel/job-queue.js';

export const TRAINING_QUEUE = 'training';
/**
 * One queue per trainer, so a worker only takes jobs it can run (a worker without AWS settings
 * never takes a REKOGNITION job). TFJS keeps the original name: every worker has it, and jobs
 * queued before the split still run.
 */
export const TRAINING_QUEUES: Readonly<Record<TrainableKind, string>> = { TFJS: TRAINING_QUEUE, REKOGNITION: 'training-rekognition' };
export const EVALUATION_QUEUE = 'evaluation';

/**
 * The job queue on pg-boss, in the same PostgreSQL as everything else (schema
 * `pgboss`). pg-boss 10 is used because it supports Node 20; 12 needs 22.12+.
 */
export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;

  constructor(options: { url: string; log: Pick<Logger, 'error'> }) {
    this.boss = new PgBoss({ connectionString: options.url, max: 4, application_name: 'epochal-queue' });
    this.boss.on('error', (error) => options.log.error({ err: error }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    // A training job is run once: a lost worker fails its run rather than
    // silently training it twice (see docs). Long trainings outlive the default 15 min; 23 h is the most pg-boss allows.
    for (const name of Object.values(TRAINING_QUEUES)) await this.boss.createQueue(name, { name, retryLimit: 0, expireInHours: 23 });
    await this.boss.createQueue(EVALUATION_QUEUE, { name: EVALUATION_QUEUE, retryLimit: 0, expireInHours: 2 });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  async enqueueTraining(tx: SqlRunner, job: TrainingJob, options: EnqueueOptions): Promise<string> {
    const id = await this.boss.send(TRAINING_QUEUES[options.trainer], job, { db: inTx(tx), singletonKey: job.runId, priority: options.priority ?? 0 });
    if (!id) throw new Error(`the training job for run ${job.runId} was not created`);
    return id;
  }

  async enqueueEvaluation(tx: SqlRunner, job: EvaluationJob): Promise<string> {
    const id = await this.boss.send(EVALUATION_QUEUE, job, { db: inTx(tx) });
    if (!id) throw new Error(`the evaluation job ${job.evaluationId} was not created`);
    return id;
  }

  async workEvaluations(handler: (job: ClaimedJob<EvaluationJob>) => Promise<void>): Promise<void> {
    await this.boss.work<EvaluationJob>(EVALUATION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      await handler({ id: job.id, data: job.data });
    });
  }

  async workTraining(handler: (job: ClaimedJob<TrainingJob>) => Promise<void>, options: { trainers: readonly TrainableKind[]; concurrency?: number }): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    for (const trainer of options.trainers) {
      for (let i = 0; i < concurrency; i++) {
        await this.boss.work<TrainingJob>(TRAINING_QUEUES[trainer], { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
          await handler({ id: job.id, data: job.data });
        });
      }
    }
  }

  async stopWorkingTraining(): Promise<void> {
    for (const name of [...Object.values(TRAINING_QUEUES), EVALUATION_QUEUE]) await this.boss.offWork(name);
  }

  async cancel(jobId: string): Promise<void> {
    for (const name of Object.values(TRAINING_QUEUES)) await this.boss.cancel(name, jobId);
  }

  async depth(): Promise<number> {
    let depth = 0;
    for (const name of Object.values(TRAINING_QUEUES)) depth += await this.boss.getQueueSize(name);
    return depth;
  }
}

/** pg-boss sends through the caller's transaction: the job exists exactly when the caller commits. */
function inTx(tx: SqlRunner) {
  return { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query(text, values) }) };
}
