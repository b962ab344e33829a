import { EpochalError } from './errors.js';

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);
/**
 * What pg, pg-pool and TypeORM say when the connection, not the query, failed
 * (TypeORM releases a transaction's query runner when its connection dies).
 */
const CONNECTION_MESSAGES =
  /Connection terminated|provided by a query runner was already released|Query runner already released|not queryable|terminating connection|the database system is (shutting down|starting up|in recovery)|timeout exceeded when trying to connect|Connection is not established|Cannot use a pool after calling end|read ECONNRESET|write EPIPE|connect ECONNREFUSED/i;

/** The database is down or restarting (not: the query was wrong). Follows causes and GraphQL's originalError. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    // SQLSTATE class 08: connection exceptions.
    if (code && (CONNECTION_ERRORS.has(code) || /^08/.test(code))) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

/** Retryable: HTTP 503 with Retry-After, as clients are told to retry. */
export const serviceUnavailable = (message = 'the database is unavailable; retry shortly') =>
  new EpochalError('SERVICE_UNAVAILABLE', message, { retryable: true, http: { status: 503, headers: new Map([['retry-after', '1']]) } });
