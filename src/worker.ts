import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './db/data-source.js';
import { PostgresPubSub } from './pubsub/postgres-pubsub.js';
import { PgBossQueue } from './queue/pg-boss-queue.js';
import { createServices } from './services.js';
import { createTrainingWorker } from './training/worker/training-worker.js';
import { registerConfiguredTrainers } from './training/worker/configured-trainers.js';

/**
 * `npm run worker`: a training worker without the API, for other machines (the
 * GPU boxes). It joins a server by pointing at the same PostgreSQL: jobs come
 * from its pg-boss queue, events go out through its LISTEN/NOTIFY.
 */
const log = createLogger().child({ role: 'worker' });

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new Error(
      'DATABASE_URL is not set. A worker trains the runs of a server by sharing its PostgreSQL: ' +
        'DATABASE_URL=postgres://user:password@host:5432/epochal npm run worker (the server must use that database too)',
    );
  }
  const dataSource = await openDatabase({ url: config.databaseUrl, applicationName: 'epochal-worker', poolSize: 4 });
  const pubsub = new PostgresPubSub({ url: config.databaseUrl, reader: dataSource, log });
  await pubsub.start();
  const queue = new PgBossQueue({ url: config.databaseUrl, log });
  await queue.start();
  const services = createServices({ dataSource, pubsub, queue, log, files: { importRoots: config.importRoots, dataDir: config.dataDir } });
  const worker = createTrainingWorker({ services, queue, dataSource, pubsub, log, dataDir: config.dataDir });
  registerConfiguredTrainers(worker, { services, log });
  await worker.start();
  log.info({ workerId: worker.workerId, dataDir: config.dataDir }, `training worker ${worker.workerId} is waiting for jobs`);

  let signalled = false;
  const shutdown = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, 'shutting down: runs in training are marked FAILED');
    try {
      await worker.stop();
      await queue.stop();
      await pubsub.stop();
      await dataSource.destroy();
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  log.fatal({ err: error }, `the training worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
