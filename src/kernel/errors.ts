import { GraphQLError } from 'graphql';

/** The stable codes of the public contract (see schema/base.graphql). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export class EpochalError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, extra?: Record<string, unknown>) => new EpochalError('BAD_USER_INPUT', message, extra);
/** One message for "missing" and "not yours", so ids cannot be probed. */
export const notFound = (what: string, id: string) => new EpochalError('NOT_FOUND', `${what} ${id} was not found`);
export const conflict = (message: string, extra?: Record<string, unknown>) => new EpochalError('CONFLICT', message, extra);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot exist, so it is NOT_FOUND without a query. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
