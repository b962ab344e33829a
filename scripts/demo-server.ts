import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startApp, type EpochalApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { graphqlEndpoint } from './graphql-endpoint.js';

/**
 * Where a demo talks to: the server named by EPOCHAL_URL (its base URL or its
 * /graphql endpoint), or else an app of its own on a fresh temporary data
 * folder, with the embedded database and an in-process worker.
 */
export async function demoServer(prefix = 'epochal-demo-'): Promise<{ url: string; app: EpochalApp | null; dataDir: string | null }> {
  if (process.env.EPOCHAL_URL) return { url: graphqlEndpoint(process.env.EPOCHAL_URL), app: null, dataDir: null };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { ...process.env, EPOCHAL_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', EPOCHAL_WORKER: 'on', EPOCHAL_IMPORT_ROOTS: dataDir };
  delete env.DATABASE_URL;
  const app = await startApp(loadConfig(env), pino({ level: process.env.LOG_LEVEL ?? 'error' }));
  return { url: app.url, app, dataDir };
}
