import type { RunStatus, TrainerKind } from './run.record.js';

/**
 * The SQL of Query.runs' filters and orders: the WHERE clause, the sort value
 * and the keyset condition of a page. Metric and parameter conditions read
 * metric_summaries and run_params (one indexed row per run and key), never the
 * series themselves.
 */

export type MetricAggregate = 'LAST' | 'MIN' | 'MAX';
export type SortDirection = 'ASC' | 'DESC';

export interface Bounds {
  gt?: number | null;
  gte?: number | null;
  lt?: number | null;
  lte?: number | null;
}
export interface MetricCondition extends Bounds {
  key: string;
  aggregate?: MetricAggregate | null;
}
export interface ParamCondition extends Bounds {
  key: string;
  equals?: string | null;
}

export interface RunFilter {
  status?: RunStatus[] | null;
  trainer?: TrainerKind[] | null;
  datasetId?: string | null;
  tag?: string | null;
  nameContains?: string | null;
  /** Already resolved from the project's name. */
  projectId?: string | null;
  /** Runs of any of these projects (MLflow's search over several experiments). */
  projectIds?: string[] | null;
  metrics?: MetricCondition[] | null;
  params?: ParamCondition[] | null;
  /** Key/value tags that must match exactly (MLflow's tags.k = 'v'). */
  tagValues?: { key: string; value: string }[] | null;
}

/** A resolved order: by a summary column of one metric key, or a parameter's number. */
export type RunOrder = { kind: 'metric'; key: string; aggregate: MetricAggregate; direction: SortDirection } | { kind: 'param'; key: string; direction: SortDirection };

const SUMMARY_COLUMN: Record<MetricAggregate, string> = { LAST: 'last_value', MIN: 'min_value', MAX: 'max_value' };
const OPERATORS: [keyof Bounds, string][] = [['gt', '>'], ['gte', '>='], ['lt', '<'], ['lte', '<=']];

/** Adds parameters as it builds clauses, numbering them from `offset`. */
class Params {
  readonly values: unknown[] = [];
  constructor(private readonly offset: number) {}
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}`;
  }
}

function boundsSql(column: string, bounds: Bounds, p: Params): string[] {
  return OPERATORS.filter(([name]) => bounds[name] != null).map(([name, op]) => `${column} ${op} ${p.add(bounds[name])}::float8`);
}

/** The WHERE clause of a run filter, with its parameters numbered from `offset`. */
export function filterSql(filter: RunFilter, offset: number): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const p = new Params(offset);
  if (filter.status?.length) clauses.push(`runs.status = ANY(${p.add(filter.status)}::text[])`);
  if (filter.trainer?.length) clauses.push(`runs.trainer = ANY(${p.add(filter.trainer)}::text[])`);
  if (filter.datasetId) clauses.push(`runs.dataset_id = ${p.add(filter.datasetId)}`);
  if (filter.projectId) clauses.push(`runs.project_id = ${p.add(filter.projectId)}`);
  if (filter.projectIds) clauses.push(`runs.project_id = ANY(${p.add(filter.projectIds)}::uuid[])`);
  if (filter.tag) clauses.push(`runs.tags @> ARRAY[${p.add(filter.tag)}::text]`);
  if (filter.nameContains) {
    clauses.push(`runs.name ILIKE '%' || ${p.add(filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`))} || '%' ESCAPE '\\'`);
  }
  for (const m of filter.metrics ?? []) {
    const column = `s.${SUMMARY_COLUMN[m.aggregate ?? 'LAST']}`;
    clauses.push(`EXISTS (SELECT 1 FROM metric_summaries s WHERE s.run_id = runs.id AND s.key = ${p.add(m.key)} AND ${boundsSql(column, m, p).join(' AND ')})`);
  }
  for (const c of filter.params ?? []) {
    const conditions = boundsSql('rp.num', c, p);
    if (c.equals != null) {
      const number = Number(c.equals);
      const asNumber = c.equals.trim() !== '' && Number.isFinite(number);
      conditions.push(asNumber ? `(rp.num = ${p.add(number)}::float8 OR rp.value = ${p.add(c.equals)})` : `rp.value = ${p.add(c.equals)}`);
    }
    clauses.push(`EXISTS (SELECT 1 FROM run_params rp WHERE rp.run_id = runs.id AND rp.key = ${p.add(c.key)} AND ${conditions.join(' AND ')})`);
  }
  for (const t of filter.tagValues ?? []) clauses.push(`runs.tag_values ->> ${p.add(t.key)} = ${p.add(t.value)}`);
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params: p.values };
}

/** The sort value of each run under `order`, as a LATERAL join giving `o.v` (null when the run has none). */
export function orderJoinSql(order: RunOrder, keyParam: string): string {
  return order.kind === 'metric'
    ? `LEFT JOIN LATERAL (SELECT ${SUMMARY_COLUMN[order.aggregate]} AS v FROM metric_summaries WHERE run_id = runs.id AND key = ${keyParam}) o ON TRUE`
    : `LEFT JOIN LATERAL (SELECT num AS v FROM run_params WHERE run_id = runs.id AND key = ${keyParam}) o ON TRUE`;
}

/**
 * Rows after the cursor (value `v`, sequence `seq`) in the order
 * `o.v <direction> NULLS LAST, runs.seq DESC`: a run with a value comes before
 * every run without one; ties and valueless runs go newest first.
 */
export function afterSql(direction: SortDirection, valueParam: string, seqParam: string): string {
  const beyond = direction === 'DESC' ? '<' : '>';
  return `(${seqParam}::bigint IS NULL OR CASE WHEN ${valueParam}::float8 IS NULL THEN o.v IS NULL AND runs.seq < ${seqParam}
    ELSE o.v IS NULL OR o.v ${beyond} ${valueParam}::float8 OR (o.v = ${valueParam}::float8 AND runs.seq < ${seqParam}) END)`;
}

export function orderBySql(direction: SortDirection): string {
  return `ORDER BY o.v ${direction} NULLS LAST, runs.seq DESC`;
}
