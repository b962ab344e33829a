import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { BEAT_SQL } from './run-heartbeat.repository.js';

/**
 * The thread's code, plain CommonJS so it runs the same under tsx, vitest and
 * compiled output. It stamps the runs it was told about every `intervalMs` on
 * its own connection and reports which ones this worker still owns.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
let runIds = [];
let client = null;
let busy = false;
async function beat() {
  if (busy || runIds.length === 0) return;
  busy = true;
  const sent = runIds;
  try {
    if (!client) {
      client = new pg.Client({ connectionString: workerData.url, application_name: 'epochal-heartbeat', connectionTimeoutMillis: 5000 });
      client.on('error', () => { client = null; });
      await client.connect();
    }
    const { rows } = await client.query(workerData.sql, [sent, workerData.workerId]);
    parentPort.postMessage({ type: 'owned', sent, owned: rows.map((r) => r.id) });
  } catch (error) {
    const failed = client;
    client = null;
    if (failed) failed.end().catch(() => {});
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  } finally {
    busy = false;
  }
}
const timer = setInterval(beat, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'runs') runIds = message.runIds;
  if (message.type === 'stop') {
    clearInterval(timer);
    const closing = client ? client.end().catch(() => {}) : Promise.resolve();
    closing.then(() => process.exit(0));
  }
});
`;

export interface HeartbeatThreadOptions {
  databaseUrl: string;
  workerId: string;
  intervalMs: number;
  log: Logger;
  /** Runs that were sent but are no longer this worker's (cancelled, swept, finished). */
  onLost(runIds: string[]): void;
}

/**
 * Heartbeats on a thread of their own: a training batch on WASM or the CPU
 * backend runs synchronously and can hold the main event loop for longer than
 * the lost-worker threshold (a VGG16 batch at 224 px on WASM does), which would
 * get a live worker's run swept. A thread keeps stamping while the process lives,
 * and dies with it.
 */
export class HeartbeatThread {
  private readonly thread: Worker;
  private stopped = false;

  constructor(private readonly options: HeartbeatThreadOptions) {
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { url: options.databaseUrl, workerId: options.workerId, intervalMs: options.intervalMs, sql: BEAT_SQL, pgPath },
    });
    this.thread.unref();
    this.thread.on('message', (message: { type: string; sent?: string[]; owned?: string[]; message?: string }) => {
      if (message.type === 'owned') {
        const owned = new Set(message.owned);
        const lost = (message.sent ?? []).filter((id) => !owned.has(id));
        if (lost.length > 0) options.onLost(lost);
      } else if (message.type === 'error') {
        options.log.warn({ error: message.message }, 'heartbeat failed; retrying at the next beat');
      }
    });
    this.thread.on('error', (error) => options.log.error({ err: error }, 'the heartbeat thread failed'));
  }

  /** The runs to stamp from now on. */
  setRuns(runIds: string[]): void {
    if (!this.stopped) this.thread.postMessage({ type: 'runs', runIds });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    this.thread.postMessage({ type: 'stop' });
    const timer = setTimeout(() => void this.thread.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
