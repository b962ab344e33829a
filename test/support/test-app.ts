import { rmSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { startApp, type EpochalApp, type StartOptions } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import { OPERATION_LIMITS } from '../../src/graphql/operation-limits.js';
import { createTestDatabase } from './database.js';
import { tempDir } from './temp-dir.js';
import { statementRecorder } from '../../src/db/statement-recorder.js';

export interface TestApp extends EpochalApp {
  /** Every SQL statement the API's DataSource ran, in order. */
  statements: string[];
  /** EPOCHAL_DATA_DIR: a temporary folder, removed by stop(), unless the caller gave one. */
  dataDir: string;
  /** What it was started with (its data folder, import roots, limits). */
  config: Config;
}

/** The real app on port 0 over its own database: the same factory `npm start` uses. */
export async function startTestApp(overrides: Partial<Config> = {}, options: { log?: pino.Logger } & Pick<StartOptions, 'trainers' | 'artifactStore'> = {}): Promise<TestApp> {
  const databaseUrl = overrides.databaseUrl ?? (await createTestDatabase());
  const ownDataDir = overrides.dataDir ? null : tempDir('epochal-data-');
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
  const app = await startApp(config, log, { sqlLogger, trainers: options.trainers, artifactStore: options.artifactStore });
  const stopApp = app.stop;
  const stop = async () => {
    await stopApp();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  return Object.assign(app, { statements, dataDir, config, stop });
}

/**
 * The app for a test file: started before its tests, stopped after them. What
 * it returns stands for the app once started (`app.url`, `app.services`, …, as
 * with startTestApp), so it can be assigned once at the top of the file; reading
 * it before the app started throws. Hooks registered after this call run after
 * the app started, and their afterAll before it stops.
 */
export function useTestApp(overrides: Partial<Config> = {}, options: Parameters<typeof startTestApp>[1] = {}): TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(overrides, options);
  });
  afterAll(async () => {
    await app?.stop();
  });
  return new Proxy({} as TestApp, {
    get(_, property) {
      if (!app) {
        // Asked by `await` and by inspection: not an app yet, rather than an error.
        if (typeof property === 'symbol' || property === 'then') return undefined;
        throw new Error(`the test app is not started yet (app.${property} was read): read it inside tests and hooks`);
      }
      const value: unknown = Reflect.get(app, property, app);
      return typeof value === 'function' ? value.bind(app) : value;
    },
  });
}
