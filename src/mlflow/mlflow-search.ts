import type { RunOrderInput, RunQueryFilter } from '../runs/run.service.js';
import type { RunStatus } from '../runs/run.record.js';
import { invalidParameter } from './mlflow-errors.js';

/**
 * MLflow's search_runs filter and order_by, translated to Query.runs' filter
 * and order: the common forms only (see docs/mlflow.md). Anything else is
 * refused with INVALID_PARAMETER_VALUE naming the clause, never ignored.
 *
 *   metrics.val_accuracy > 0.9 AND params.lr = '0.001' AND tags.team = 'eye'
 *   attributes.status = 'FINISHED'   attributes.run_name LIKE '%vgg%'
 */

export const STATUS_FROM_MLFLOW: Record<string, RunStatus> = {
  RUNNING: 'RUNNING', SCHEDULED: 'QUEUED', FINISHED: 'SUCCEEDED', FAILED: 'FAILED', KILLED: 'CANCELLED',
};

const CLAUSE = /^\s*(metrics?|params?|parameters?|tags?|attributes?|attr|run)\.(`[^`]+`|"[^"]+"|[\w./-]+)\s*(<=|>=|!=|=|<|>|LIKE|ILIKE)\s*(.+?)\s*$/i;

function unquote(text: string): string {
  return /^(['"`]).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

function stringValue(raw: string, clause: string): string {
  if (!/^'[^']*'$|^"[^"]*"$/.test(raw)) throw invalidParameter(`search filter: the value in "${clause}" must be a quoted string`);
  return raw.slice(1, -1);
}

/** Splits on AND outside quotes. */
function clausesOf(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  const words = filter.split(/(\s+|['"`])/);
  for (const word of words) {
    if (quote) {
      if (word === quote) quote = null;
      current += word;
    } else if (word === "'" || word === '"' || word === '`') {
      quote = word;
      current += word;
    } else if (/^and$/i.test(word)) {
      parts.push(current);
      current = '';
    } else {
      current += word;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function filterFromMlflow(filter: string | undefined | null): RunQueryFilter {
  const metrics: NonNullable<RunQueryFilter['metrics']> = [];
  const params: NonNullable<RunQueryFilter['params']> = [];
  const tagValues: NonNullable<RunQueryFilter['tagValues']> = [];
  const result: RunQueryFilter = { metrics, params, tagValues };
  if (!filter || !filter.trim()) return result;
  if (filter.length > 4000) throw invalidParameter('search filter: at most 4000 characters');
  for (const clause of clausesOf(filter)) {
    const match = CLAUSE.exec(clause);
    if (!match) throw invalidParameter(`search filter: "${clause}" is not a comparison this server understands; use metrics.<key> > 0.9, params.<key> = '...', tags.<key> = '...' or attributes.status = '...', joined with AND`);
    const [, entity, rawKey, rawOp, raw] = match;
    const kind = entity.toLowerCase().replace(/s$/, '').replace(/^parameter$/, 'param').replace(/^(attribute|attr|run)$/, 'attribute');
    const key = unquote(rawKey);
    const op = rawOp.toUpperCase();
    if (kind === 'metric') {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw invalidParameter(`search filter: the value in "${clause}" must be a number`);
      const bounds = { '>': { gt: value }, '>=': { gte: value }, '<': { lt: value }, '<=': { lte: value }, '=': { gte: value, lte: value } }[op];
      if (!bounds) throw invalidParameter(`search filter: metrics compare with =, <, <=, > or >=; not ${op} in "${clause}"`);
      metrics.push({ key, aggregate: 'LAST', ...bounds });
    } else if (kind === 'param') {
      if (op !== '=') throw invalidParameter(`search filter: params compare with = here; not ${op} in "${clause}"`);
      params.push({ key, equals: stringValue(raw, clause) });
    } else if (kind === 'tag') {
      if (op !== '=') throw invalidParameter(`search filter: tags compare with = here; not ${op} in "${clause}"`);
      tagValues.push({ key, value: stringValue(raw, clause) });
    } else {
      attributeClause(result, key, op, stringValue(raw, clause), clause);
    }
  }
  return result;
}

function attributeClause(result: RunQueryFilter, key: string, op: string, value: string, clause: string): void {
  if (key === 'status' && op === '=') {
    const status = STATUS_FROM_MLFLOW[value];
    if (!status) throw invalidParameter(`search filter: status must be one of ${Object.keys(STATUS_FROM_MLFLOW).join(', ')}; got "${value}"`);
    result.status = [status];
    return;
  }
  if ((key === 'run_name' || key === 'runName') && (op === 'LIKE' || op === 'ILIKE') && /^%[^%_]*%$/.test(value)) {
    result.nameContains = value.slice(1, -1);
    return;
  }
  throw invalidParameter(`search filter: "${clause}" is not supported; attributes.status = '...' and attributes.run_name LIKE '%...%' are`);
}

/** The first order_by entry ("metrics.val_accuracy DESC"); null for MLflow's default (newest first). */
export function orderFromMlflow(orderBy: unknown): RunOrderInput | null {
  if (orderBy == null) return null;
  if (!Array.isArray(orderBy) || orderBy.some((o) => typeof o !== 'string')) throw invalidParameter('order_by must be a list of strings');
  if (orderBy.length === 0) return null;
  const match = /^\s*(metrics?|params?|attributes?)\.(`[^`]+`|"[^"]+"|[\w./-]+)(?:\s+(ASC|DESC))?\s*$/i.exec(orderBy[0]);
  if (!match) throw invalidParameter(`order_by: "${orderBy[0]}" is not supported; use metrics.<key> DESC, params.<key> ASC or attributes.start_time DESC`);
  const [, entity, rawKey, dir] = match;
  const key = unquote(rawKey);
  const direction = (dir?.toUpperCase() ?? 'ASC') as 'ASC' | 'DESC';
  if (/^attribute/i.test(entity)) {
    if ((key === 'start_time' || key === 'created') && direction === 'DESC') return null;
    throw invalidParameter(`order_by: only attributes.start_time DESC (the default) is supported among attributes; got "${orderBy[0]}"`);
  }
  return /^metric/i.test(entity) ? { metric: key, aggregate: 'LAST', direction } : { param: key, direction };
}
