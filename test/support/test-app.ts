import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pino from 'pino';
import { startApp, type EpochalApp } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import { OPERATION_LIMITS } from '../../src/graphql/operation-limits.js';
import { createTestDatabase } from './database.js';
import { statementRecorder } from '../../src/db/statement-recorder.js';

export interface TestApp extends EpochalApp {
  /** Every SQL statement the API's DataSource ran, in order. */
  statements: string[];
  /** EPOCHAL_DATA_DIR: a temporary folder, removed by stop(), unless the caller gave one. */
  dataDir: string;
}

/** The real app on port 0 over its own database: the same factory `npm start` uses. */
export async function startTestApp(overrides: Partial<Config> = {}, options: { log?: pino.Logger } = {}): Promise<TestApp> {
  const databaseUrl = overrides.databaseUrl ?? (await createTestDatabase());
  const ownDataDir = overrides.dataDir ? null : mkdtempSync(path.join(os.tmpdir(), 'epochal-data-'));
  const dataDir = overrides.dataDir ?? ownDataDir!;
  const { statements, logger: sqlLogger } = statementRecorder();
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    databaseUrl,
    dataDir,
    importRoots: [dataDir],
    inProcessWorker: false,
    embeddedPostgresPort: 0,
    authRequired: false,
    authReason: 'tests',
    rateLimit: { perSecond: 0, burst: 1 },
    socketLimits: { maxSubscriptionsPerConnection: 50, maxConnectionsPerKey: 100 },
    maxBodyBytes: 4 * 1024 * 1024,
    operationLimits: OPERATION_LIMITS,
    allowedOrigins: [],
    ...overrides,
  };
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await startApp(config, log, { sqlLogger });
  const stopApp = app.stop;
  const stop = async () => {
    await stopApp();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  return Object.assign(app, { statements, dataDir, stop });
}
