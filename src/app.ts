import path from 'node:path';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { PostgresPubSub } from './pubsub/postgres-pubsub.js';
import { PgBossQueue } from './queue/pg-boss-queue.js';
import { createServer, type EpochalServer } from './http/server.js';
import { createServices, type Services } from './services.js';
import { createTrainingWorker, type TrainingWorker } from './training/worker/training-worker.js';
import { registerConfiguredTrainers } from './training/worker/configured-trainers.js';

export interface EpochalApp {
  url: string;
  server: EpochalServer;
  services: Services;
  dataSource: DataSource;
  pubsub: PostgresPubSub;
  queue: PgBossQueue;
  databaseUrl: string;
  /** The in-process training worker (config.inProcessWorker), else null. */
  worker: TrainingWorker | null;
  stop(): Promise<void>;
  /** For a process exiting without a finished stop(): leaves nothing running behind it. */
  abandon(): void;
}

/**
 * Starts everything in order: database (embedded when no DATABASE_URL),
 * migrations, events, queue, API. stop() goes in reverse: API first (in-flight
 * requests finish, subscribers get a clean close), then queue, events, database.
 */
export async function startApp(config: Config, log: Logger, options: { sqlLogger?: TypeOrmLogger } = {}): Promise<EpochalApp> {
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort, log });
    log.info({ dataDir: embedded.dataDir }, 'no DATABASE_URL: using the embedded PostgreSQL');
    databaseUrl = embedded.url;
  }
  try {
    return await startOnDatabase(config, log, options, databaseUrl, embedded);
  } catch (error) {
    // The process usually exits on a failed start: the embedded PostgreSQL must not outlive it.
    await embedded?.stop().catch(() => embedded?.stopNow());
    throw error;
  }
}

async function startOnDatabase(
  config: Config,
  log: Logger,
  options: { sqlLogger?: TypeOrmLogger },
  databaseUrl: string,
  embedded: EmbeddedDatabase | null,
): Promise<EpochalApp> {
  const dataSource = await openDatabase({ url: databaseUrl, logger: options.sqlLogger });
  const pubsub = new PostgresPubSub({ url: databaseUrl, reader: dataSource, log });
  await pubsub.start();
  const queue = new PgBossQueue({ url: databaseUrl, log });
  await queue.start();
  const services = createServices({ dataSource, pubsub, queue, log, files: { importRoots: config.importRoots, dataDir: config.dataDir } });
  log.info({ authRequired: config.authRequired, why: config.authReason }, config.authRequired ? 'API keys are required' : 'authentication is OFF: anyone who can reach this port can read and write');
  const server = await createServer({
    services, dataSource, queue, log, host: config.host, port: config.port, inProcessWorker: config.inProcessWorker,
    authRequired: config.authRequired, rateLimit: config.rateLimit, socketLimits: config.socketLimits, maxBodyBytes: config.maxBodyBytes, operationLimits: config.operationLimits,
    fileRoots: [...config.importRoots, config.dataDir],
  });
  const worker = config.inProcessWorker ? createTrainingWorker({ services, queue, dataSource, pubsub, log, dataDir: config.dataDir }) : null;
  if (worker) registerConfiguredTrainers(worker, { services, log });
  await worker?.start();
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    server,
    services,
    dataSource,
    pubsub,
    queue,
    databaseUrl,
    worker,
    stop: () =>
      (stopping ??= (async () => {
        // The worker first: its runs are marked FAILED while the database is still there.
        await worker?.stop();
        await server.stop();
        await queue.stop();
        await pubsub.stop();
        await dataSource.destroy();
        await embedded?.stop();
      })()),
    abandon: () => embedded?.stopNow(),
  };
}
