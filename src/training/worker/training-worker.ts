import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { z } from 'zod';
import { inTransaction } from '../../kernel/sql.js';
import { isUuid } from '../../kernel/errors.js';
import type { PubSub } from '../../kernel/pubsub.js';
import type { ClaimedJob, JobQueue, TrainingJob } from '../../kernel/job-queue.js';
import type { RunRecord } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import { HeartbeatThread } from './heartbeat-thread.js';
import { sweepLostRuns } from './lost-run-sweeper.js';
import { RunCancellation, STATUS_RECHECK_MS } from './run-cancellation.js';
import { RunHeartbeatRepository } from './run-heartbeat.repository.js';
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
  /** Adds or replaces the trainer of one kind of run (e.g. REKOGNITION). */
  register(trainer: keyof TrainerRegistry, job: TrainerJob): void;
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
  const { services, queue, dataSource, pubsub } = options;
  const workerId = options.workerId ?? newWorkerId();
  const log = options.log.child({ workerId });
  const heartbeatMs = options.heartbeatMs ?? WORKER_DEFAULTS.heartbeatMs;
  const lostAfterMs = options.lostAfterMs ?? WORKER_DEFAULTS.lostAfterMs;
  const sweepEveryMs = options.sweepEveryMs ?? WORKER_DEFAULTS.sweepEveryMs;
  if (lostAfterMs <= heartbeatMs * 2) throw new Error(`lostAfterMs (${lostAfterMs}) must exceed two heartbeats (${heartbeatMs} ms each), or live runs would be swept`);
  const trainers: TrainerRegistry = { ...options.trainers };
  const heartbeats = new RunHeartbeatRepository();
  /** Runs this worker took, by id, from just before RUNNING until the job settles. */
  const active = new Map<string, RunCancellation>();
  /** The RUNNING ones among them: what the heartbeat stamps. */
  const beating = new Set<string>();
  let heartbeatThread: HeartbeatThread | null = null;
  const lost = (runIds: string[]) => {
    for (const id of runIds) active.get(id)?.abort('this worker no longer owns the run');
  };
  const setBeating = (runId: string, on: boolean) => {
    if (on) beating.add(runId);
    else beating.delete(runId);
    heartbeatThread?.setRuns([...beating]);
  };
  const handlers = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  let stopping: Promise<void> | null = null;

  const settle = (runId: string, outcome: JobOutcome) => {
    log.info({ runId, outcome }, `training job for run ${runId}: ${outcome}`);
    options.onJobSettled?.({ runId, outcome });
  };

  const fail = (runId: string, from: RunRecord['status'][], error: string) =>
    inTransaction(dataSource, (tx) => services.runs.transition(tx, runId, from, 'FAILED', { error }));

  /** Puts a job taken during shutdown back, so another worker trains it. */
  const requeue = (runId: string) =>
    inTransaction(dataSource, async (tx) => {
      const run = await services.runs.require(runId, tx);
      if (run.status !== 'QUEUED') return false;
      await queue.enqueueTraining(tx, { runId });
      return true;
    });

  async function handle(job: ClaimedJob<TrainingJob>): Promise<void> {
    const payload = jobSchema.safeParse(job.data);
    if (!payload.success) {
      log.error({ jobId: job.id, data: job.data }, 'dropped a training job without a valid runId');
      return;
    }
    const { runId } = payload.data;
    if (stopping) return settle(runId, (await requeue(runId)) ? 'requeued' : 'skipped');

    const run = await services.runs.find(runId);
    // Cancelled (or otherwise finished) before any worker took it: never start it.
    if (!run || run.status !== 'QUEUED') return settle(runId, 'skipped');
    const trainer = run.trainer === 'EXTERNAL' ? undefined : trainers[run.trainer];
    if (!trainer) {
      const error = `no ${run.trainer} trainer is registered in worker ${workerId}; start the run again once a worker with ${run.trainer} support is running`;
      await fail(runId, ['QUEUED'], error);
      return settle(runId, 'failed');
    }

    let engine: TrainerEngine;
    try {
      engine = trainer.engine ? await trainer.engine(run) : { name: run.trainer.toLowerCase(), gpuName: null };
    } catch (error) {
      await fail(runId, ['QUEUED'], `worker ${workerId} could not load its training engine: ${messageOf(error)}`);
      return settle(runId, 'failed');
    }

    const cancellation = new RunCancellation(runId, pubsub, async () => (await services.runs.find(runId))?.status ?? null, options.statusRecheckMs ?? STATUS_RECHECK_MS);
    active.set(runId, cancellation);
    const runLog = log.child({ runId });
    try {
      // Atomic: of two workers holding the same run, only one moves it to RUNNING.
      const running = await inTransaction(dataSource, async (tx) => {
        const moved = await services.runs.transition(tx, runId, ['QUEUED'], 'RUNNING', { workerId, engine: engine.name, gpuName: engine.gpuName });
        if (moved) await heartbeats.beat(tx, [runId], workerId);
        return moved;
      });
      if (!running) return settle(runId, 'skipped');
      setBeating(runId, true);
      if (stopping) {
        await fail(runId, ['RUNNING'], SHUTDOWN_ERROR);
        return settle(runId, 'failed');
      }
      runLog.info({ engine: engine.name, gpuName: engine.gpuName }, `training run ${runId} (${run.trainer})`);
      try {
        const images = run.datasetId ? await services.datasets.allImages(run.datasetId) : [];
        await trainer.run({
          run: running,
          images,
          services,
          engine,
          signal: cancellation.signal,
          isCancelled: () => cancellation.isCancelled(),
          workDir: path.join(options.dataDir, 'runs', runId),
          log: runLog,
        });
        const succeeded = await inTransaction(dataSource, (tx) => services.runs.transition(tx, runId, ['RUNNING'], 'SUCCEEDED'));
        return settle(runId, succeeded ? 'succeeded' : 'cancelled');
      } catch (error) {
        // A run that was cancelled, swept or shut down fails its writes too: that is not the cause.
        const current = await services.runs.find(runId);
        if (current && current.status !== 'RUNNING') {
          runLog.info({ status: current.status, reason: cancellation.stopReason }, `training of run ${runId} stopped: it is ${current.status}`);
          return settle(runId, current.status === 'FAILED' ? 'failed' : 'cancelled');
        }
        const message = stopping ? SHUTDOWN_ERROR : (trainer.describeError?.(error, running) ?? messageOf(error));
        runLog.warn({ err: error }, `run ${runId} failed: ${message}`);
        await fail(runId, ['RUNNING'], message);
        return settle(runId, 'failed');
      }
    } finally {
      setBeating(runId, false);
      active.delete(runId);
      cancellation.dispose();
    }
  }

  /** Stamps this worker's runs on the main loop (without a heartbeat thread); a run it no longer owns is told to stop. */
  async function beat(): Promise<void> {
    const ids = [...beating];
    if (ids.length === 0) return;
    const owned = await heartbeats.beat(dataSource, ids, workerId);
    lost(ids.filter((id) => !owned.has(id)));
  }

  async function sweep(): Promise<void> {
    await sweepLostRuns({ dataSource, services, heartbeats, lostAfterMs, log });
  }

  const every = (ms: number, name: string, task: () => Promise<void>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error) => log.warn({ err: error }, `${name} failed; retrying in ${ms} ms`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    workerId,
    activeRunIds: () => [...active.keys()],
    register(kind, job) {
      trainers[kind] = job;
    },

    async start() {
      if (started) throw new Error('the training worker was already started');
      started = true;
      // Runs left RUNNING by a worker that died while none was sweeping (e.g. the only one).
      await sweep().catch((error) => log.warn({ err: error }, 'sweeping lost runs failed'));
      // The thread needs a URL for its own connection; the app and `npm run worker` always open the database by URL.
      const databaseUrl = (dataSource.options as { url?: string }).url;
      if (databaseUrl) heartbeatThread = new HeartbeatThread({ databaseUrl, workerId, intervalMs: heartbeatMs, log, onLost: lost });
      else every(heartbeatMs, 'heartbeat', beat);
      every(sweepEveryMs, 'sweeping lost runs', sweep);
      await queue.workTraining((job) => {
        const handling = handle(job).catch((error) => {
          log.error({ err: error, jobId: job.id }, 'training job handler failed');
        });
        handlers.add(handling);
        return handling.finally(() => handlers.delete(handling));
      }, { concurrency: options.concurrency ?? 1 });
      log.info({ trainers: Object.keys(trainers), heartbeatMs, lostAfterMs }, 'training worker started');
    },

    stop() {
      return (stopping ??= (async () => {
        if (!started) return;
        await queue.stopWorkingTraining().catch((error) => log.warn({ err: error }, 'could not stop taking jobs'));
        for (const timer of timers.splice(0)) clearInterval(timer);
        // Fail first, then abort: the training's own error handling then sees a finished run.
        for (const [runId, cancellation] of active) {
          await fail(runId, ['RUNNING'], SHUTDOWN_ERROR).catch((error) => log.error({ err: error, runId }, 'could not mark the run FAILED'));
          cancellation.abort('the worker is shutting down');
        }
        const grace = options.shutdownGraceMs ?? WORKER_DEFAULTS.shutdownGraceMs;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), grace)));
        const result = await Promise.race([Promise.allSettled([...handlers]), timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') log.warn({ runs: [...active.keys()] }, `trainings did not stop within ${grace} ms`);
        await heartbeatThread?.stop();
        log.info('training worker stopped');
      })());
    },
  };
}
