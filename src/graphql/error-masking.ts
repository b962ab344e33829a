import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { withoutSuggestions } from './operation-limits.js';
import { isDatabaseUnavailable } from '../kernel/unavailable.js';

/** Answered as they are: the client's mistakes, and a retryable outage already named as one. */
const PASSED_THROUGH = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE', 'PAYLOAD_TOO_LARGE', 'SERVICE_UNAVAILABLE']);
export { isDatabaseUnavailable };

/**
 * Client errors pass through; a database outage becomes a retryable
 * SERVICE_UNAVAILABLE; anything else is a bug: logged with the request id,
 * answered with that id and no details. The same for HTTP and WebSocket.
 */
export function maskError(log: Logger, formatted: GraphQLFormattedError, error: unknown, requestId: string, blockSuggestions: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  const message = blockSuggestions ? withoutSuggestions(formatted.message) : formatted.message;
  if (typeof code === 'string' && PASSED_THROUGH.has(code)) {
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
