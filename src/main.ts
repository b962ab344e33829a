import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startApp, stopOnSignals } from './bootstrap.js';
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
  stopOnSignals(app, log, { deadlineMs: SHUTDOWN_DEADLINE_MS, message: 'shutting down: draining requests and subscriptions' });
}

main().catch((error) => {
  log.fatal({ err: error }, `Epochal failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
