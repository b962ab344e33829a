import { ApiError } from '../api';
import { h, notice } from '../dom';

/** A page renders into the outlet and returns what to undo when the user leaves it. */
export type Page = (outlet: HTMLElement, params: Record<string, string>, search: URLSearchParams) => void | (() => void);

/** An error in words, with what to do next and (when given) a retry button. */
export function errorNotice(error: unknown, retry?: () => void): HTMLElement {
  const apiError = error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 'INTERNAL_SERVER_ERROR');
  return notice('error', `${apiError.message}${apiError.code === 'NETWORK' ? '' : ` (${apiError.code})`}`,
    apiError.hint || 'If this keeps happening, the server log has the details.',
    retry ? [' ', h('button', { type: 'button', onclick: retry }, 'Retry')] : null);
}
