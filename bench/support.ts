import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { startApp, type EpochalApp } from '../src/bootstrap.js';
import type { ServerProcess } from '../test/support/server-process.js';
import { loadConfig, type Config } from '../src/config.js';

/**
 * Shared pieces of the benchmarks. Every bench starts its own embedded
 * PostgreSQL in a temporary folder and removes it at the end, listens on
 * 127.0.0.1 only, and reports ratios against a baseline measured in the same
 * run: this machine is shared and noisy, so absolute numbers drift.
 */

export const CORES = os.cpus().length;

export interface BenchDatabase {
  adminUrl: string;
  /** A fresh empty database in the bench's cluster. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'epochal-bench-'));
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), persistent: false, database: 'postgres' });
  return {
    adminUrl: embedded.url,
    async createDatabase() {
      const name = `epochal_bench_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(embedded.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      await embedded.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The configuration `npm start` would read, for `databaseUrl`, on 127.0.0.1 port 0, without worker or keys. */
export function benchConfig(databaseUrl: string): Config {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-bench-data-'));
  return loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: databaseUrl, EPOCHAL_DATA_DIR: dataDir, EPOCHAL_IMPORT_ROOTS: dataDir, EPOCHAL_WORKER: 'off', EPOCHAL_AUTH: 'off' });
}

/** The real app (the factory `npm start` uses) in this process, on port 0, without a worker. */
export async function startBenchApp(databaseUrl: string, options: Parameters<typeof startApp>[2] = {}): Promise<EpochalApp> {
  return startApp(benchConfig(databaseUrl), pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }), options);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Goal lines look the same in every bench, so run-all can collect them. */
export function goal(name: string, met: boolean, detail: string): void {
  console.log(`  GOAL ${met ? 'met    ' : 'NOT met'} ${name}: ${detail}`);
}

export function header(title: string): void {
  console.log(`\n=== ${title} (${CORES} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}) ===`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs a GraphQL operation and throws on errors: benches measure success paths. */
export async function post<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

export async function createRuns(url: string, count: number, name = 'bench'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await post(url, `mutation($n: String!) { createRun(input: { name: $n }) { id } }`, { n: `${name}-${i}` })).createRun.id);
  }
  return ids;
}

/**
 * SIGTERM, then SIGKILL after `graceMs`: a bench must end by itself. (After
 * the ingestion load an API process was seen not to exit on SIGTERM at all;
 * see BENCHMARKS.md.) Says so when it had to kill.
 */
export async function stopServer(server: ServerProcess, graceMs = 15_000): Promise<void> {
  const exited = server.stop('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    console.log(`  (server pid ${server.child.pid} did not exit ${graceMs / 1000} s after SIGTERM; killed)`);
    await server.stop('SIGKILL');
  }
}
