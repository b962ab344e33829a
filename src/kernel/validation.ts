import type { z } from 'zod';
import { badInput } from './errors.js';

/**
 * Validates input at the API boundary. The message names the item and why,
 * e.g. `images[3].label: label must not be empty`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  return (() => {
    throw badInput(issues.join('; ') + more, { issues: result.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), message: i.message })) });
  })();
}
