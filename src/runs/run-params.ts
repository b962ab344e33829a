/**
 * A run's parameters are its configuration's leaves as text: nested keys
 * joined with dots (`tfjs.learningRate`), arrays as JSON. Each also keeps its
 * number when the text reads as one, which filters and sorts use.
 */

export const MAX_PARAM_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;

export interface ParamRow {
  key: string;
  value: string;
  num: number | null;
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The number a parameter's text stands for, or null ("1e-3" → 0.001; "adam" → null). */
export function numberOf(value: string): number | null {
  if (!DECIMAL.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function paramText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Leaves of `config` as parameter rows. Keys longer than the limit are left
 * out and values cut to it: a configuration is stored whole in Run.config
 * either way; its parameters are for finding runs.
 */
export function flattenParams(config: Record<string, unknown>, prefix = ''): ParamRow[] {
  const rows: ParamRow[] = [];
  for (const [name, value] of Object.entries(config)) {
    const key = prefix + name;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      rows.push(...flattenParams(value as Record<string, unknown>, `${key}.`));
      continue;
    }
    if (key.length > MAX_PARAM_KEY_LENGTH || value === undefined) continue;
    const text = paramText(value).slice(0, MAX_PARAM_VALUE_LENGTH);
    rows.push({ key, value: text, num: numberOf(text) });
  }
  return rows;
}
