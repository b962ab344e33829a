import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { withoutSuggestions } from './operation-limits.js';

const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE', 'PAYLOAD_TOO_LARGE']);
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);
/**
 * What pg, pg-pool and TypeORM say when the connection, not the query, failed
 * (TypeORM releases a transaction's query runner when its connection dies).
 */
const CONNECTION_MESSAGES =
  /Connection terminated|provided by a query runner was already released|not queryable|terminating connection|the database system is (shutting down|starting up|in recovery)|timeout exceeded when trying to connect|Connection is not established|Cannot use a pool after calling end|read ECONNRESET|write EPIPE/i;

/** The database is down or restarting: tell clients to retry instead of calling it a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    // SQLSTATE class 08: connection exceptions.
    if (code && (CONNECTION_ERRORS.has(code) || /^08/.test(code))) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Client errors pass through; a database outage becomes a retryable
 * SERVICE_UNAVAILABLE; anything else is a bug: logged with the request id,
 * answered with that id and no details. The same for HTTP and WebSocket.
 */
export function maskError(log: Logger, formatted: GraphQLFormattedError, error: unknown, requestId: string, blockSuggestions: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  const message = blockSuggestions ? withoutSuggestions(formatted.message) : formatted.message;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message, extensions };
  }
  // graphql-js's own coercion and validation errors, and graphql-armor's (no code yet): caused by
  // nothing or by another GraphQLError (a scalar refusing a value), never by a thrown Error. By
  // name, not instanceof: graphql-ws and graphql-armor load graphql's CommonJS build, another class.
  const isGraphQLError = (e: unknown): e is GraphQLError => (e as Error)?.name === 'GraphQLError';
  if (code === undefined && isGraphQLError(original) && (!original.originalError || isGraphQLError(original.originalError))) {
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (isDatabaseUnavailable(original)) {
    return { message: 'the database is unavailable; retry shortly', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  log.error({ err: original, path: formatted.path, requestId }, 'internal error');
  return { message: `internal server error (request id ${requestId}); the server log has the details`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
}
