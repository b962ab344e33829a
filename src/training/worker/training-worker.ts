import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { z } from 'zod';
import { inTransaction } from '../../kernel/sql.js';
import { isUuid } from '../../kernel/errors.js';
import type { PubSub } from '../../kernel/pubsub.js';
import type { ClaimedJob, JobQueue, TrainableKind, TrainingJob } from '../../kernel/job-queue.js';
import type { RunRecord } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import { HeartbeatThread } from './heartbeat-thread.js';
import { handleEvaluationJob } from './evaluation-jobs.js';
import { sweepLostRuns } from './lost-run-sweeper.js';
import { RunCancellation, STATUS_RECHECK_MS } from './run-cancellation.js';
import { RunHeartbeatRepository } from './run-heartbeat.repository.js';
import { startSystemMetrics } from './system-metrics.js';
import type { TrainerEngine, TrainerJob, TrainerRegistry } from './trainer-job.js';

export const WORKER_DEFAULTS = {
  heartbeatMs: 10_000,
  /** With a sweep every 10 s, a dead worker's run is FAILED within 45 + 10 s (+ one heartbeat of slack: < 60 s). */
  lostAfterMs: 45_000,
  sweepEveryMs: 10_000,
  /** How long stop() waits for trainings to notice the shutdown (they stop at their next batch). */
  shutdownGraceMs: 30_000,
};

export const SHUTDOWN_ERROR = 'worker shut down during training; start the run again';

export type JobOutcome = 'skipped' | 'requeued' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingWorkerOptions {
  services: Services;
  queue: JobQueue;
  dataSource: DataSource;
  pubsub: PubSub;
  log: Logger;
  /** Run folders go under <dataDir>/runs/<runId>. */
  dataDir: string;
  /** Default: hostname:pid:random, unique per worker instance. */
  workerId?: string;
  heartbeatMs?: number;
  lostAfterMs?: number;
  sweepEveryMs?: number;
  statusRecheckMs?: number;
  shutdownGraceMs?: number;
  /** Trainings at once in this process (default 1: one engine, one GPU). */
  concurrency?: number;
  /** The jobs this worker runs, by kind of run: src/trainers/index.ts's trainerJobs() for this machine. */
  trainers: TrainerRegistry;
  /** Called after each job, whatever became of it (logs, tests). */
  onJobSettled?: (settled: { runId: string; outcome: JobOutcome }) => void;
}

export interface TrainingWorker {
  readonly workerId: string;
  /** Runs this worker is training now. */
  activeRunIds(): string[];
  start(): Promise<void>;
  /** Takes no more jobs, fails the runs in training ("worker shut down"), waits for them to stop. */
  stop(): Promise<void>;
}

const jobSchema = z.object({ runId: z.string().refine(isUuid, 'runId must be a run id') });

function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A training worker: takes `training` jobs from the queue, runs each with the
 * trainer registered for its run's kind, and owns the run's status around it
 * (QUEUED → RUNNING → SUCCEEDED | FAILED; CANCELLED is set by cancelRun). While
 * training it stamps its runs' heartbeats, and its sweeper fails runs of any
 * worker that stopped stamping.
 */
export function createTrainingWorker(options: TrainingWorkerOptions): TrainingWorker {
  return new QueueTrainingWorker(options);
}

/** A run this worker may train: still QUEUED, with a trainer here and its engine loaded. */
interface PreparedRun {
  run: RunRecord;
  trainer: TrainerJob;
  engine: TrainerEngine;
}

class QueueTrainingWorker implements TrainingWorker {
  readonly workerId: string;
  private readonly log: Logger;
  private readonly heartbeatMs: number;
  private readonly lostAfterMs: number;
  private readonly trainers: TrainerRegistry;
  private readonly heartbeats = new RunHeartbeatRepository();
  /** Runs this worker took, by id, from just before RUNNING until the job settles. */
  private readonly active = new Map<string, RunCancellation>();
  /** The RUNNING ones among them: what the heartbeat stamps. */
  private readonly beating = new Set<string>();
  private heartbeatThread: HeartbeatThread | null = null;
  private readonly handlers = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: TrainingWorkerOptions) {
    this.workerId = options.workerId ?? newWorkerId();
    this.log = options.log.child({ workerId: this.workerId });
    this.heartbeatMs = options.heartbeatMs ?? WORKER_DEFAULTS.heartbeatMs;
    this.lostAfterMs = options.lostAfterMs ?? WORKER_DEFAULTS.lostAfterMs;
    if (this.lostAfterMs <= this.heartbeatMs * 2) {
      throw new Error(`lostAfterMs (${this.lostAfterMs}) must exceed two heartbeats (${this.heartbeatMs} ms each), or live runs would be swept`);
    }
    this.trainers = { ...options.trainers };
  }

  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the training worker was already started');
    this.started = true;
    const { log } = this;
    // Runs left RUNNING by a worker that died while none was sweeping (e.g. the only one).
    await this.sweep().catch((error) => log.warn({ err: error }, 'sweeping lost runs failed'));
    // The thread needs a URL for its own connection; the app and `npm run worker` always open the database by URL.
    const databaseUrl = (this.options.dataSource.options as { url?: string }).url;
    if (databaseUrl) {
      this.heartbeatThread = new HeartbeatThread({ databaseUrl, workerId: this.workerId, intervalMs: this.heartbeatMs, log, onLost: (ids) => this.lost(ids) });
    } else {
      this.every(this.heartbeatMs, 'heartbeat', () => this.beat());
    }
    this.every(this.options.sweepEveryMs ?? WORKER_DEFAULTS.sweepEveryMs, 'sweeping lost runs', () => this.sweep());
    await this.options.queue.workTraining((job) => {
      const handling = this.handle(job).catch((error) => {
        log.error({ err: error, jobId: job.id }, 'training job handler failed');
      });
      this.handlers.add(handling);
      return handling.finally(() => this.handlers.delete(handling));
    }, { concurrency: this.options.concurrency ?? 1, trainers: Object.keys(this.trainers) as TrainableKind[] });
    await this.options.queue.workEvaluations((job) => {
      const handling = handleEvaluationJob(job, { services: this.options.services, trainers: this.trainers, log, workerId: this.workerId });
      this.handlers.add(handling);
      return handling.finally(() => this.handlers.delete(handling));
    });
    log.info({ trainers: Object.keys(this.trainers), heartbeatMs: this.heartbeatMs, lostAfterMs: this.lostAfterMs }, 'training worker started');
  }

  stop(): Promise<void> {
    return (this.stopping ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    const { log } = this;
    if (!this.started) return;
    await this.options.queue.stopWorkingTraining().catch((error) => log.warn({ err: error }, 'could not stop taking jobs'));
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    // Fail first, then abort: the training's own error handling then sees a finished run.
    for (const [runId, cancellation] of this.active) {
      await this.fail(runId, ['RUNNING'], SHUTDOWN_ERROR).catch((error) => log.error({ err: error, runId }, 'could not mark the run FAILED'));
      cancellation.abort('the worker is shutting down');
    }
    const grace = this.options.shutdownGraceMs ?? WORKER_DEFAULTS.shutdownGraceMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), grace)));
    const result = await Promise.race([Promise.allSettled([...this.handlers]), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') log.warn({ runs: [...this.active.keys()] }, `trainings did not stop within ${grace} ms`);
    await this.heartbeatThread?.stop();
    log.info('training worker stopped');
  }

  private async handle(job: ClaimedJob<TrainingJob>): Promise<void> {
    const payload = jobSchema.safeParse(job.data);
    if (!payload.success) {
      this.log.error({ jobId: job.id, data: job.data }, 'dropped a training job without a valid runId');
      return;
    }
    const { runId } = payload.data;
    if (this.stopping) return this.settle(runId, (await this.requeue(runId)) ? 'requeued' : 'skipped');
    const prepared = await this.prepare(runId);
    if (typeof prepared === 'string') return this.settle(runId, prepared);
    const cancellation = new RunCancellation(
      runId, this.options.pubsub, async () => (await this.options.services.runs.find(runId))?.status ?? null, this.options.statusRecheckMs ?? STATUS_RECHECK_MS,
    );
    this.active.set(runId, cancellation);
    try {
      this.settle(runId, await this.train(prepared, cancellation));
    } finally {
      this.setBeating(runId, false);
      this.active.delete(runId);
      cancellation.dispose();
    }
  }

  /** The run, its trainer and engine; or the job's outcome when it must not (or cannot) train here. */
  private async prepare(runId: string): Promise<PreparedRun | JobOutcome> {
    const run = await this.options.services.runs.find(runId);
    // Cancelled (or otherwise finished) before any worker took it: never start it.
    if (!run || run.status !== 'QUEUED') return 'skipped';
    const trainer = run.trainer === 'EXTERNAL' ? undefined : this.trainers[run.trainer];
    if (!trainer) {
      const error = `no ${run.trainer} trainer is registered in worker ${this.workerId}; start the run again once a worker with ${run.trainer} support is running`;
      await this.fail(runId, ['QUEUED'], error);
      return 'failed';
    }
    try {
      const engine = trainer.engine ? await trainer.engine(run) : { name: run.trainer.toLowerCase(), gpuName: null };
      return { run, trainer, engine };
    } catch (error) {
      await this.fail(runId, ['QUEUED'], `worker ${this.workerId} could not load its training engine: ${messageOf(error)}`);
      return 'failed';
    }
  }

  /** Moves the run to RUNNING (only one worker can), trains it, and records how it ended. */
  private async train({ run, trainer, engine }: PreparedRun, cancellation: RunCancellation): Promise<JobOutcome> {
    const { services, dataSource } = this.options;
    const runId = run.id;
    // Atomic: of two workers holding the same run, only one moves it to RUNNING.
    const running = await inTransaction(dataSource, async (tx) => {
      const moved = await services.runs.transition(tx, runId, ['QUEUED'], 'RUNNING', { workerId: this.workerId, engine: engine.name, gpuName: engine.gpuName });
      if (moved) await this.heartbeats.beat(tx, [runId], this.workerId);
      return moved;
    });
    if (!running) return 'skipped';
    this.setBeating(runId, true);
    if (this.stopping) {
      await this.fail(runId, ['RUNNING'], SHUTDOWN_ERROR);
      return 'failed';
    }
    const runLog = this.log.child({ runId });
    runLog.info({ engine: engine.name, gpuName: engine.gpuName }, `training run ${runId} (${run.trainer})`);
    const systemMetrics = startSystemMetrics({ write: (points) => services.metrics.logMetrics(runId, points), log: runLog });
    try {
      const images = run.datasetId ? await services.datasets.allImages(run.datasetId) : [];
      await trainer.run({
        run: running, images, services, engine, log: runLog,
        signal: cancellation.signal,
        isCancelled: () => cancellation.isCancelled(),
        workDir: path.join(this.options.dataDir, 'runs', runId),
      });
      // Evaluations asked for while it trained are queued with the success, never lost in between.
      const succeeded = await inTransaction(dataSource, async (tx) => {
        const moved = await services.runs.transition(tx, runId, ['RUNNING'], 'SUCCEEDED');
        if (moved) await services.modelEvaluations.releaseWaiting(tx, runId);
        return moved;
      });
      return succeeded ? 'succeeded' : 'cancelled';
    } catch (error) {
      // A run that was cancelled, swept or shut down fails its writes too: that is not the cause.
      const current = await services.runs.find(runId);
      if (current && current.status !== 'RUNNING') {
        runLog.info({ status: current.status, reason: cancellation.stopReason }, `training of run ${runId} stopped: it is ${current.status}`);
        return current.status === 'FAILED' ? 'failed' : 'cancelled';
      }
      const message = this.stopping ? SHUTDOWN_ERROR : (trainer.describeError?.(error, running) ?? messageOf(error));
      runLog.warn({ err: error }, `run ${runId} failed: ${message}`);
      await this.fail(runId, ['RUNNING'], message);
      return 'failed';
    } finally {
      systemMetrics.stop();
    }
  }

  private settle(runId: string, outcome: JobOutcome): void {
    this.log.info({ runId, outcome }, `training job for run ${runId}: ${outcome}`);
    this.options.onJobSettled?.({ runId, outcome });
  }

  private fail(runId: string, from: RunRecord['status'][], error: string) {
    return inTransaction(this.options.dataSource, (tx) => this.options.services.runs.transition(tx, runId, from, 'FAILED', { error }));
  }

  /** Puts a job taken during shutdown back, so another worker trains it. */
  private requeue(runId: string): Promise<boolean> {
    return inTransaction(this.options.dataSource, async (tx) => {
      const run = await this.options.services.runs.require(runId, tx);
      if (run.status !== 'QUEUED') return false;
      if (run.trainer !== 'EXTERNAL') await this.options.queue.enqueueTraining(tx, { runId }, { trainer: run.trainer });
      return true;
    });
  }

  private lost(runIds: string[]): void {
    for (const id of runIds) this.active.get(id)?.abort('this worker no longer owns the run');
  }

  private setBeating(runId: string, on: boolean): void {
    if (on) this.beating.add(runId);
    else this.beating.delete(runId);
    this.heartbeatThread?.setRuns([...this.beating]);
  }

  /** Stamps this worker's runs on the main loop (without a heartbeat thread); a run it no longer owns is told to stop. */
  private async beat(): Promise<void> {
    const ids = [...this.beating];
    if (ids.length === 0) return;
    const owned = await this.heartbeats.beat(this.options.dataSource, ids, this.workerId);
    this.lost(ids.filter((id) => !owned.has(id)));
  }

  private async sweep(): Promise<void> {
    const { dataSource, services } = this.options;
    await sweepLostRuns({ dataSource, services, heartbeats: this.heartbeats, lostAfterMs: this.lostAfterMs, log: this.log });
  }

  private every(ms: number, name: string, task: () => Promise<void>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error) => this.log.warn({ err: error }, `${name} failed; retrying in ${ms} ms`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
