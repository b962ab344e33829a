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

/** An unpaired UTF-16 surrogate: what a JSON `\ud800` escape makes, and what UTF-8 cannot hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL cannot store `text` as given, or null: a NUL character
 * (refused by PostgreSQL, which answered INTERNAL) or a lone surrogate (which
 * the driver would silently store as U+FFFD). Every text input is checked
 * with it before any code sees it (src/graphql/input-checks.ts).
 */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode: it holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape)';
  return null;
}

/** How deep any input value (a JSON config above all) may nest: PostgreSQL's jsonb and our own code stop far below 5,000. */
export const MAX_INPUT_DEPTH = 64;
