import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import pino from 'pino';
import { startApp, type EpochalApp, type StartOptions } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import { OPERATION_LIMITS } from '../../src/graphql/operation-limits.js';
import { createTestDatabase } from './database.js';
import { statementRecorder } from '../../src/db/statement-recorder.js';

export interface TestApp extends EpochalApp {
  /** Every SQL statement the API's DataSource ran, in order. */
  statements: string[];
}

/** The real app on port 0 over its own database: the same factory `npm start` uses. */
export async function startTestApp(overrides: Partial<Config> = {}, options: { log?: pino.Logger } & Pick<StartOptions, 'trainers' | 'artifactStore'> = {}): Promise<TestApp> {
  const databaseUrl = overrides.databaseUrl ?? (await createTestDatabase());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-data-'));
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
    ...overrides,
  };
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await startApp(config, log, { sqlLogger, trainers: options.trainers, artifactStore: options.artifactStore });
  return Object.assign(app, { statements });
}
