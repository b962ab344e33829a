import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { SqlRunner } from '../kernel/sql.js';
import type { ClaimedJob, EnqueueOptions, EvaluationJob, JobQueue, TrainingJob } from '../kernel/job-queue.js';

export const TRAINING_QUEUE = 'training';
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
    await this.boss.createQueue(TRAINING_QUEUE, { name: TRAINING_QUEUE, retryLimit: 0, expireInHours: 23 });
    await this.boss.createQueue(EVALUATION_QUEUE, { name: EVALUATION_QUEUE, retryLimit: 0, expireInHours: 2 });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  async enqueueTraining(tx: SqlRunner, job: TrainingJob, options: EnqueueOptions = {}): Promise<string> {
    const id = await this.boss.send(TRAINING_QUEUE, job, { db: inTx(tx), singletonKey: job.runId, priority: options.priority ?? 0 });
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

  async workTraining(handler: (job: ClaimedJob<TrainingJob>) => Promise<void>, options: { concurrency?: number } = {}): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<TrainingJob>(TRAINING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        await handler({ id: job.id, data: job.data });
      });
    }
  }

  async stopWorkingTraining(): Promise<void> {
    await this.boss.offWork(TRAINING_QUEUE);
    await this.boss.offWork(EVALUATION_QUEUE);
  }

  async cancel(jobId: string): Promise<void> {
    await this.boss.cancel(TRAINING_QUEUE, jobId);
  }

  async depth(): Promise<number> {
    return this.boss.getQueueSize(TRAINING_QUEUE);
  }
}

/** pg-boss sends through the caller's transaction: the job exists exactly when the caller commits. */
function inTx(tx: SqlRunner) {
  return { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query(text, values) }) };
}
