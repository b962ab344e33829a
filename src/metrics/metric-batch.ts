import { badInput } from '../kernel/errors.js';
import { packSeries, type MetricsSeries } from '../kernel/run-event.js';
import type { PointColumns } from './metric.repository.js';

export const MAX_POINTS_PER_BATCH = 10_000;
export const MAX_STEP = 2_147_483_647;

/** One key's points as columns: point i is (steps[i], values[i], times?.[i]). */
export interface MetricSeriesInput {
  key: string;
  steps: readonly number[];
  values: readonly number[];
  times?: readonly Date[] | null;
}

/** What a batch becomes: the statement's parameters and the live event's series. */
export interface MetricBatch { columns: PointColumns; series: MetricsSeries[] }

type Series = { key: string; steps: number[]; values: number[]; times: string[] };
type Gathered = Series & { ordered: boolean; timed: boolean };

const isValidKey = (key: unknown): key is string => typeof key === 'string' && key.length >= 1 && key.length <= 200 && !key.includes('\0');
const isValidStep = (step: unknown): step is number => typeof step === 'number' && Number.isInteger(step) && step >= 0 && step <= MAX_STEP;
const isValidValue = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isValidTime = (time: unknown): time is Date => time instanceof Date && !Number.isNaN(time.getTime());

/**
 * Checks a row-form batch (the same rules as the service's zod schema, null at
 * the first doubt) and turns it into what is stored and announced, in one
 * pass: (key, step) identifies a point, the last one of a batch wins.
 */
export function pointBatch(input: readonly unknown[]): MetricBatch | null {
  if (!Array.isArray(input) || input.length > MAX_POINTS_PER_BATCH) return null;
  const now = new Date().toISOString();
  const byKey = new Map<string, Gathered>();
  let timed = false;
  for (const p of input) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return null;
    const { key, step, value, time } = p as Record<string, unknown>;
    if (!isValidStep(step) || !isValidValue(value)) return null;
    if (time != null && !isValidTime(time)) return null;
    let series = typeof key === 'string' ? byKey.get(key) : undefined;
    if (!series) {
      if (!isValidKey(key)) return null;
      byKey.set(key, (series = { key, steps: [], values: [], times: [], ordered: true, timed: false }));
    }
    const n = series.steps.length;
    if (n > 0 && step <= series.steps[n - 1]) series.ordered = false;
    series.steps.push(step);
    series.values.push(value);
    if (time != null) {
      series.times.push(time.toISOString());
      series.timed = timed = true;
    } else {
      series.times.push(now);
    }
  }
  return assemble([...byKey.values()], timed, now);
}

/**
 * The columnar form: each series is one key's steps and values (and times),
 * checked element by element with a message naming the first bad one (the
 * whole batch is refused, nothing stored). Two series of one key merge as if
 * sent as rows in that order. No per-point objects are made: a 10,000-point
 * series goes from its arrays to the statement's literals directly.
 */
export function seriesBatch(input: readonly MetricSeriesInput[]): MetricBatch {
  const now = new Date().toISOString();
  const total = input.reduce((n, s) => n + (s?.steps?.length ?? 0), 0);
  if (total > MAX_POINTS_PER_BATCH) throw badInput(`series: a batch holds at most ${MAX_POINTS_PER_BATCH} points (got ${total}); split it`);
  const byKey = new Map<string, Gathered>();
  let timed = false;
  input.forEach((s, i) => {
    const where = `series[${i}]`;
    if (!isValidKey(s.key)) throw badInput(`${where}.key: key must be 1 to 200 characters without NUL bytes`);
    const n = s.steps.length;
    if (s.values.length !== n) throw badInput(`${where}.values: has ${s.values.length} values for ${n} steps; give one value per step`);
    if (s.times != null && s.times.length !== n) throw badInput(`${where}.times: has ${s.times.length} times for ${n} steps; give one time per step, or none`);
    for (let j = 0; j < n; j++) {
      if (!isValidStep(s.steps[j])) throw badInput(`${where}.steps[${j}]: step must be an integer from 0 to ${MAX_STEP}; got ${s.steps[j]}`);
      if (!isValidValue(s.values[j])) throw badInput(`${where}.values[${j}]: value must be a finite number; got ${s.values[j]}`);
      if (s.times != null && !isValidTime(s.times[j])) throw badInput(`${where}.times[${j}]: time must be a valid date`);
    }
    let series = byKey.get(s.key);
    if (!series) byKey.set(s.key, (series = { key: s.key, steps: [], values: [], times: [], ordered: true, timed: false }));
    const first = series.steps.length === 0;
    const last = first ? -1 : series.steps[series.steps.length - 1];
    // One loop for order (strictly increasing steps need no de-duplication).
    let ordered = series.ordered && (n === 0 || s.steps[0] > last);
    for (let j = 1; ordered && j < n; j++) ordered = s.steps[j] > s.steps[j - 1];
    series.ordered = ordered;
    if (first) {
      series.steps = s.steps.slice();
      series.values = s.values.slice();
    } else {
      series.steps.push(...s.steps);
      series.values.push(...s.values);
    }
    if (s.times != null) {
      for (const t of s.times) series.times.push(t.toISOString());
      series.timed = timed = true;
    } else {
      for (let j = 0; j < n; j++) series.times.push(now);
    }
  });
  return assemble([...byKey.values()].filter((s) => s.steps.length > 0), timed, now);
}

/**
 * Each key's points become one series in step order, packed for the event
 * (see MetricsSeries); the statement's parameters are those series as
 * PostgreSQL array literals, built here once instead of element by element in
 * the driver. A point without a time is sent as NULL and stored with `now`
 * (one parameter) instead of as 10,000 copies of one timestamp.
 */
function assemble(gathered: Gathered[], timed: boolean, now: string): MetricBatch {
  const series: MetricsSeries[] = [];
  const keys: string[] = [];
  const steps: string[] = [];
  const values: string[] = [];
  const times: string[] = [];
  let count = 0;
  for (const s of gathered) {
    const one = s.ordered ? s : lastOfEachStep(s);
    const n = one.steps.length;
    series.push(packSeries(s.key, one.steps, one.values, one.times));
    const quoted = `"${s.key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    keys.push(`${quoted},`.repeat(n - 1) + quoted);
    steps.push(one.steps.join(','));
    values.push(one.values.join(','));
    if (timed) times.push(s.timed ? one.times.join(',') : `${now},`.repeat(n - 1) + now);
    count += n;
  }
  const literal = (parts: string[]) => `{${parts.join(',')}}`;
  return { series, columns: { count, keys: literal(keys), steps: literal(steps), values: literal(values), times: literal(times), now } };
}

/** A series whose steps are not strictly increasing: in step order, the last point of each step kept. */
function lastOfEachStep(s: Series): Series {
  const last = new Map<number, number>();
  s.steps.forEach((step, i) => last.set(step, i));
  const order = [...last.values()].sort((a, b) => s.steps[a] - s.steps[b]);
  return { key: s.key, steps: order.map((i) => s.steps[i]), values: order.map((i) => s.values[i]), times: order.map((i) => s.times[i]) };
}
