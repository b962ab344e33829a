import type { DataSource, EntityManager } from 'typeorm';

/** Anything that runs SQL: the DataSource, or an EntityManager inside a transaction. */
export interface SqlRunner {
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Runs `work` in one transaction; everything it writes commits together or not at all. */
export function inTransaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}

/** Postgres error codes the services turn into user-facing errors. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  invalidText: '22P02',
} as const;

export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}
