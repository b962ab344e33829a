import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { loadMigrations } from '../../migrations/index.js';

export interface DataSourceOptions {
  url: string;
  /** Pool size; the LISTEN connection and pg-boss hold their own. */
  poolSize?: number;
  /** Sees every statement (tests count them). */
  logger?: TypeOrmLogger;
  applicationName?: string;
}

/** The schema comes from migrations/ only, never from `synchronize`. */
export async function createDataSource(options: DataSourceOptions): Promise<DataSource> {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    // No entities: migrations/ is the schema and repositories write their SQL
    // (docs/architecture.md says why). TypeORM gives pooling, transactions and migrations.
    entities: [],
    migrations: await loadMigrations(),
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: options.logger ? ['query'] : false,
    logger: options.logger,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'epochal',
    extra: {
      // A dead database must surface as an error, not a hang.
      connectionTimeoutMillis: 5_000,
    },
  });
}

/** Connects and brings the schema up to date. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  return dataSource;
}

/** For /readyz: the database answers. */
export async function isDatabaseReachable(dataSource: DataSource): Promise<boolean> {
  try {
    await dataSource.query('/* readiness */ SELECT 1');
    return true;
  } catch {
    return false;
  }
}
