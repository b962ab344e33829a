import { FileRouteError } from '../kernel/served-files.js';

/**
 * MLflow's error answer: `{ error_code, message }` with its HTTP status. The
 * domain's own errors (EpochalError codes) are translated at the route.
 */
export class MlflowError extends Error {
  constructor(readonly errorCode: string, message: string, readonly status: number) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message, 400);
export const doesNotExist = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message, 404);
export const alreadyExists = (message: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', message, 400);

/** Epochal's codes as MLflow's, with the status MLflow's server answers them with. */
const FROM_EPOCHAL: Record<string, [string, number]> = {
  BAD_USER_INPUT: ['INVALID_PARAMETER_VALUE', 400],
  NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  CONFLICT: ['INVALID_STATE', 400],
  UNAUTHENTICATED: ['UNAUTHENTICATED', 401],
  FORBIDDEN: ['PERMISSION_DENIED', 403],
  RATE_LIMITED: ['REQUEST_LIMIT_EXCEEDED', 429],
  SERVICE_UNAVAILABLE: ['TEMPORARILY_UNAVAILABLE', 503],
};

/** The answer for any error; null when it is a bug (the caller logs it and answers INTERNAL_ERROR). */
export function mlflowErrorOf(error: unknown): MlflowError | null {
  if (error instanceof MlflowError) return error;
  if (error instanceof FileRouteError && error.status < 500) {
    return new MlflowError(error.status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : error.status === 403 ? 'PERMISSION_DENIED' : 'INVALID_PARAMETER_VALUE', error.message, error.status);
  }
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  const mapped = typeof code === 'string' ? FROM_EPOCHAL[code] : undefined;
  return mapped ? new MlflowError(mapped[0], (error as Error).message, mapped[1]) : null;
}
