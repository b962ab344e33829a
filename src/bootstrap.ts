import path from 'node:path';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { PostgresPubSub } from './pubsub/postgres-pubsub.js';
import { PgBossQueue } from './queue/pg-boss-queue.js';
import { createServer, type EpochalServer } from './http/server.js';
import { createServices, type Services } from './domains.js';
import { startSilentRunSweeper } from './runs/silent-run-sweeper.js';
import { trainerJobs, trainerPlugins } from './trainers/index.js';
import type { TrainerPlugin } from './training/worker/trainer-job.js';
import type { ArtifactStore } from './kernel/artifact-store.js';
import { S3ArtifactStore } from './storage/s3-artifact-store.js';
import { createTrainingWorker, type TrainingWorker } from './training/worker/training-worker.js';

/**
 * The one bootstrap of `npm start` (API, usually with a worker in-process) and
 * `npm run worker` (a worker alone): database (embedded when no DATABASE_URL and
 * an API runs), migrations, events, queue, services, then the API and/or the
 * worker. stop() goes in reverse, in one order for both: the worker first (its
 * runs are marked FAILED while the database is still there), then the API
 * (in-flight requests finish, subscribers get a clean close), queue, events,
 * database.
 */
export interface EpochalProcess {
  services: Services;
  dataSource: DataSource;
  pubsub: PostgresPubSub;
  queue: PgBossQueue;
  databaseUrl: string;
  /** The training worker of this process, else null. */
  worker: TrainingWorker | null;
  stop(): Promise<void>;
  /** For a process exiting without a finished stop(): leaves nothing running behind it. */
  abandon(): void;
}

export interface EpochalApp extends EpochalProcess {
  url: string;
  server: EpochalServer;
}

export interface StartOptions {
  sqlLogger?: TypeOrmLogger;
  /** The trainers this process knows; default: src/trainers/index.ts (tests point one at the AWS fakes). */
  trainers?: readonly TrainerPlugin[];
  /** Overrides the configured object store (tests point it at an S3 fake). */
  artifactStore?: ArtifactStore;
}

/** `npm start`: the API, with an in-process worker unless EPOCHAL_WORKER=off. */
export async function startApp(config: Config, log: Logger, options: StartOptions = {}): Promise<EpochalApp> {
  let server: EpochalServer | null = null;
  const started = await start(config, log, options, { worker: config.inProcessWorker, applicationName: 'epochal' }, async (core) => {
    log.info({ authRequired: config.authRequired, why: config.authReason }, config.authRequired ? 'API keys are required' : 'authentication is OFF: anyone who can reach this port can read and write');
    server = await createServer({
      services: core.services, dataSource: core.dataSource, queue: core.queue, log, host: config.host, port: config.port, inProcessWorker: config.inProcessWorker,
      authRequired: config.authRequired, rateLimit: config.rateLimit, socketLimits: config.socketLimits, maxBodyBytes: config.maxBodyBytes, operationLimits: config.operationLimits,
      fileRoots: [...config.importRoots, config.dataDir], allowedOrigins: config.allowedOrigins,
    });
    return server;
  });
  return { ...started, server: server!, url: server!.url };
}

/** `npm run worker`: a training worker alone, joining a server through its DATABASE_URL. */
export async function startWorkerProcess(config: Config, log: Logger, options: StartOptions = {}): Promise<EpochalProcess> {
  if (!config.databaseUrl) {
    throw new Error(
      'DATABASE_URL is not set. A worker trains the runs of a server by sharing its PostgreSQL: ' +
        'DATABASE_URL=postgres://user:password@host:5432/epochal npm run worker (the server must use that database too)',
    );
  }
  return start(config, log, options, { worker: true, applicationName: 'epochal-worker', poolSize: 4 }, async () => null);
}

type Core = Omit<EpochalProcess, 'worker' | 'stop' | 'abandon'>;

async function start(
  config: Config,
  log: Logger,
  options: StartOptions,
  shape: { worker: boolean; applicationName: string; poolSize?: number },
  startApi: (core: Core) => Promise<EpochalServer | null>,
): Promise<EpochalProcess> {
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort, log });
    log.info({ dataDir: embedded.dataDir }, 'no DATABASE_URL: using the embedded PostgreSQL');
    databaseUrl = embedded.url;
  }
  // Everything started so far, stopped in reverse: one stop order for every process.
  const stack: { stop(): Promise<void> }[] = [];
  if (embedded) stack.push(embedded);
  const stopAll = async () => {
    for (const part of stack.splice(0).reverse()) await part.stop();
  };
  try {
    const dataSource = await openDatabase({ url: databaseUrl, logger: options.sqlLogger, applicationName: shape.applicationName, poolSize: shape.poolSize });
    stack.push({ stop: () => dataSource.destroy() });
    const pubsub = new PostgresPubSub({ url: databaseUrl, reader: dataSource, log });
    await pubsub.start();
    stack.push(pubsub);
    const queue = new PgBossQueue({ url: databaseUrl, log });
    await queue.start();
    stack.push(queue);
    const files = { importRoots: config.importRoots, dataDir: config.dataDir };
    const artifactStore = options.artifactStore ?? (config.artifactStore ? new S3ArtifactStore(config.artifactStore) : null);
    if (artifactStore) log.info({ location: artifactStore.location }, 'artifacts are kept in the object store');
    const services = createServices({ dataSource, pubsub, queue, log, files, trainers: options.trainers ?? trainerPlugins, artifactStore,
      env: config.env ?? process.env, machineUsdPerHour: config.machineUsdPerHour ?? null });
    const core: Core = { services, dataSource, pubsub, queue, databaseUrl };
    stack.push(startSilentRunSweeper({ runs: services.runs, log, intervalMs: config.silentRunSweepMs }));
    const server = await startApi(core);
    if (server) {
      // Models are served by API processes: loaded again at start, freed after the server stops taking requests.
      stack.push({ stop: () => services.deployments.stop() });
      stack.push(server);
      void services.deployments.resume().catch((error) => log.warn({ err: error }, 'could not resume the deployments'));
    }
    const worker = shape.worker
      ? createTrainingWorker({ services, queue, dataSource, pubsub, log, dataDir: config.dataDir, trainers: trainerJobs({ services, log, files }) })
      : null;
    if (worker) {
      await worker.start();
      stack.push(worker);
    }
    let stopping: Promise<void> | null = null;
    return { ...core, worker, stop: () => (stopping ??= stopAll()), abandon: () => embedded?.stopNow() };
  } catch (error) {
    // The process usually exits on a failed start: nothing it started (the embedded PostgreSQL above all) may outlive it.
    await stopAll().catch(() => embedded?.stopNow());
    throw error;
  }
}

/**
 * SIGTERM/SIGINT stop the process in order and exit 0; a stop that hangs past
 * `deadlineMs` must not keep the process alive, nor leave the embedded
 * PostgreSQL behind it: exit 1 then.
 */
export function stopOnSignals(running: Pick<EpochalProcess, 'stop' | 'abandon'>, log: Logger, options: { deadlineMs: number; message: string }): void {
  let signalled = false;
  const shutdown = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, options.message);
    setTimeout(() => {
      log.error({ signal }, `shutdown did not finish within ${options.deadlineMs / 1000} s; exiting now`);
      running.abandon();
      process.exit(1);
    }, options.deadlineMs).unref();
    await running.stop().catch((error) => log.error({ err: error }, 'error during shutdown'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
