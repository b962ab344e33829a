import type { MetricPointInput } from '../metrics/metric.service.js';
import { invalidParameter } from './mlflow-errors.js';

/**
 * MLflow request bodies (JSON for POST, the query string for GET), checked as
 * MLflow's server checks them. Protobuf's JSON writes int64 as strings, so
 * steps and timestamps may arrive as "12" as well as 12.
 */
export type Body = Record<string, any>;

/** MLflow's LogBatch limits (its server refuses more the same way). */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 };
const MAX_KEY = 250;
const MAX_PARAM_VALUE = 6000;
const MAX_TAG_VALUE = 8000;
/** Steps are stored as 32-bit integers: MLflow's int64 steps above this are refused, not wrapped. */
export const MAX_STEP = 2_147_483_647;

export function optionalString(body: Body, name: string): string | null {
  const value = body[name];
  if (value == null || value === '') return null;
  if (typeof value !== 'string') throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: it must be a string`);
  return value;
}

export function requiredString(body: Body, name: string): string {
  const value = optionalString(body, name);
  if (value == null) throw invalidParameter(`Missing value for required parameter '${name}'`);
  return value;
}

function integer(value: unknown, name: string, fallback: number): number {
  if (value == null || value === '') return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidParameter(`${name} must be an integer; got ${JSON.stringify(value)}`);
  return n;
}

function keyOf(item: Body, where: string): string {
  if (typeof item?.key !== 'string' || item.key.length === 0) throw invalidParameter(`${where}: key must be a non-empty string`);
  if (item.key.length > MAX_KEY) throw invalidParameter(`${where}: key "${item.key.slice(0, 40)}…" is longer than ${MAX_KEY} characters`);
  return item.key;
}

function listOf(body: Body, name: string): Body[] {
  const value = body[name] ?? [];
  if (!Array.isArray(value)) throw invalidParameter(`${name} must be a list`);
  return value;
}

/** A log-batch body, whole: MLflow's limits, then every item. */
export function parseLogBatch(body: Body): { metrics: Body[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] } {
  const metrics = listOf(body, 'metrics');
  const params = listOf(body, 'params');
  const tags = listOf(body, 'tags');
  for (const [name, items] of [['metrics', metrics], ['params', params], ['tags', tags]] as const) {
    const limit = LOG_BATCH_LIMITS[name];
    if (items.length > limit) {
      throw invalidParameter(`A batch logging request can contain at most ${limit} ${name}. Got ${items.length} ${name}. Please split up ${name} across multiple requests and try again.`);
    }
  }
  const total = metrics.length + params.length + tags.length;
  if (total > LOG_BATCH_LIMITS.total) {
    throw invalidParameter(`A batch logging request can contain at most ${LOG_BATCH_LIMITS.total} metrics, params, and tags in total. Got ${total} in total.`);
  }
  const text = (item: Body, where: string, max: number) => {
    const value = item.value == null ? '' : typeof item.value === 'string' ? item.value : typeof item.value === 'number' || typeof item.value === 'boolean' ? String(item.value) : null;
    if (value === null) throw invalidParameter(`${where}: value must be a string`);
    if (value.length > max) throw invalidParameter(`${where}: value of "${item.key}" is longer than ${max} characters`);
    return value;
  };
  return {
    metrics,
    params: params.map((p, i) => ({ key: keyOf(p, `params[${i}]`), value: text(p, `params[${i}]`, MAX_PARAM_VALUE) })),
    tags: tags.map((t, i) => ({ key: keyOf(t, `tags[${i}]`), value: text(t, `tags[${i}]`, MAX_TAG_VALUE) })),
  };
}

/** MLflow metrics as Epochal points: step defaults to 0, timestamp (ms) becomes the point's time. */
export function metricPoints(items: Body[], where: string): MetricPointInput[] {
  return items.map((item, i) => {
    const at = items.length === 1 && where === 'metric' ? 'metric' : `${where}[${i}]`;
    const key = keyOf(item, at);
    const value = typeof item.value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(item.value) ? Number(item.value) : item.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidParameter(`${at}: value of "${key}" must be a finite number; NaN and infinities are not stored here (got ${JSON.stringify(item.value)})`);
    }
    const step = integer(item.step, `${at}: step`, 0);
    if (step < 0 || step > MAX_STEP) throw invalidParameter(`${at}: step ${step} is outside 0..${MAX_STEP}; this server stores steps as 32-bit integers`);
    const timestamp = integer(item.timestamp, `${at}: timestamp`, Date.now());
    const time = new Date(timestamp);
    if (Number.isNaN(time.getTime())) throw invalidParameter(`${at}: timestamp ${timestamp} is not a time in milliseconds`);
    return { key, step, value, time };
  });
}
