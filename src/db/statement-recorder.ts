import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * A TypeORM logger that keeps every SQL statement the DataSource runs, in
 * order: tests and benchmarks count them (e.g. to prove batching).
 */
export function statementRecorder(): { statements: string[]; logger: TypeOrmLogger } {
  const statements: string[] = [];
  const ignore = () => undefined;
  return {
    statements,
    logger: {
      logQuery: (query) => void statements.push(query),
      logQueryError: ignore,
      logQuerySlow: ignore,
      logSchemaBuild: ignore,
      logMigration: ignore,
      log: ignore,
    },
  };
}
