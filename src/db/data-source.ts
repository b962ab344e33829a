import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { DatasetEntity, DatasetImageEntity } from '../datasets/dataset.record.js';
import { RunEntity, RunNoteEntity } from '../runs/run.record.js';
import { EpochEntity, MetricPointEntity } from '../metrics/metric.record.js';
import { EvaluationEntity } from '../evaluations/evaluation.record.js';
import { ArtifactEntity } from '../artifacts/artifact.record.js';
import { ApiKeyEntity } from '../auth/api-key.record.js';

export const entities = [DatasetEntity, DatasetImageEntity, RunEntity, RunNoteEntity, EpochEntity, MetricPointEntity, EvaluationEntity, ArtifactEntity, ApiKeyEntity];

export interface DataSourceOptions {
  url: string;
  /** Pool size; the LISTEN connection and pg-boss hold their own. */
  poolSize?: number;
  /** Sees every statement (tests count them). */
  logger?: TypeOrmLogger;
  applicationName?: string;
}

/** The schema comes from migrations/ only, never from `synchronize`. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities,
    migrations,
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
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  return dataSource;
}
