import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startWorkerProcess, stopOnSignals } from './bootstrap.js';

/**
 * `npm run worker`: a training worker without the API, for other machines (the
 * GPU boxes). It joins a server by pointing at the same PostgreSQL: jobs come
 * from its pg-boss queue, events go out through its LISTEN/NOTIFY.
 */
const log = createLogger().child({ role: 'worker' });
/** Past the worker's 30 s grace and some slack. */
const SHUTDOWN_DEADLINE_MS = Number(process.env.EPOCHAL_SHUTDOWN_DEADLINE_MS) || 45_000;

async function main() {
  const config = loadConfig();
  const running = await startWorkerProcess(config, log);
  const workerId = running.worker!.workerId;
  log.info({ workerId, dataDir: config.dataDir }, `training worker ${workerId} is waiting for jobs`);
  stopOnSignals(running, log, { deadlineMs: SHUTDOWN_DEADLINE_MS, message: 'shutting down: runs in training are marked FAILED' });
}

main().catch((error) => {
  log.fatal({ err: error }, `the training worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
