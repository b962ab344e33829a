import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';
import { ensureDashboardBuilt } from './http/web-app.js';

const log = createLogger();
/** Past the worker's 30 s grace and some slack: how long a shutdown may take before we exit anyway. */
const SHUTDOWN_DEADLINE_MS = Number(process.env.EPOCHAL_SHUTDOWN_DEADLINE_MS) || 45_000;

async function main() {
  const startedAt = Date.now();
  const config = loadConfig();
  const app = await startApp(config, log);
  log.info({ url: app.url, ms: Date.now() - startedAt }, `Epochal is listening on ${app.url} (HTTP and graphql-ws)`);
  // After listening, so the API answers at once; the page says "building" until it is done.
  void ensureDashboardBuilt({ log })
    .then((outcome) => log.info(`the dashboard is at ${app.url.replace(/\/graphql$/, '/')} (${outcome})`))
    .catch((error) => log.warn({ err: error }, 'the dashboard could not be built; the API works without it (run `npm run build`)'));
  log.info(
    app.worker
      ? `an in-process training worker (${app.worker.workerId}) takes training jobs; EPOCHAL_WORKER=off leaves them to \`npm run worker\` processes`
      : 'no in-process training worker (EPOCHAL_WORKER=off): start `npm run worker` against the same DATABASE_URL to train',
  );
  let signalled = false;
  const shutdown = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, 'shutting down: draining requests and subscriptions');
    // A shutdown that hangs must not keep the process alive, nor leave the embedded PostgreSQL behind it.
    setTimeout(() => {
      log.error({ signal }, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting now`);
      app.abandon();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await app.stop().catch((error) => log.error({ err: error }, 'error during shutdown'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  log.fatal({ err: error }, `Epochal failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
