import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { RunNoteRecord, RunRecord, RunStatus, TrainerKind } from './run.record.js';

export const RUN_COLUMNS = `id, seq::text AS seq, name, trainer, status, dataset_id AS "datasetId", config, tags, error,
  worker_id AS "workerId", engine, gpu_name AS "gpuName", outputs, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

export interface RunFilter {
  status?: RunStatus[] | null;
  trainer?: TrainerKind[] | null;
  datasetId?: string | null;
  tag?: string | null;
  nameContains?: string | null;
}

export interface NewRun {
  name: string;
  trainer: TrainerKind;
  status: RunStatus;
  datasetId: string | null;
  config: unknown;
  tags: string[];
  startedAt: Date | null;
}

/** The WHERE clause of a run filter, with its parameters numbered from `offset`. */
function filterSql(filter: RunFilter, offset: number): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(offset + params.length));
  };
  if (filter.status?.length) add((n) => `status = ANY($${n}::text[])`, filter.status);
  if (filter.trainer?.length) add((n) => `trainer = ANY($${n}::text[])`, filter.trainer);
  if (filter.datasetId) add((n) => `dataset_id = $${n}`, filter.datasetId);
  if (filter.tag) add((n) => `tags @> ARRAY[$${n}::text]`, filter.tag);
  if (filter.nameContains) add((n) => `name ILIKE '%' || $${n} || '%' ESCAPE '\\'`, filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`));
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

/** The only code that touches the runs table. */
export class RunRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[], runner: SqlRunner = this.dataSource): Promise<RunRecord[]> {
    return runner.query(`/* findRunsByIds */ SELECT ${RUN_COLUMNS} FROM runs WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Newest first, `limit` rows older than the run with sequence number `beforeSeq`. */
  page(filter: RunFilter, limit: number, beforeSeq: string | null): Promise<RunRecord[]> {
    const { where, params } = filterSql(filter, 2);
    return this.dataSource.query(
      `/* pageRuns */ SELECT ${RUN_COLUMNS} FROM runs WHERE ${where} AND ($2::bigint IS NULL OR seq < $2) ORDER BY runs.seq DESC LIMIT $1`,
      [limit, beforeSeq, ...params],
    );
  }

  async count(filter: RunFilter): Promise<number> {
    const { where, params } = filterSql(filter, 0);
    const [row] = await this.dataSource.query(`/* countRuns */ SELECT count(*)::int AS n FROM runs WHERE ${where}`, params);
    return row.n;
  }

  async insert(tx: SqlRunner, run: NewRun): Promise<RunRecord> {
    const [row] = await tx.query<RunRecord[]>(
      `/* insertRun */ INSERT INTO runs (name, trainer, status, dataset_id, config, tags, started_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7) RETURNING ${RUN_COLUMNS}`,
      [run.name, run.trainer, run.status, run.datasetId, JSON.stringify(run.config ?? {}), run.tags, run.startedAt],
    );
    return row;
  }

  async addNote(tx: SqlRunner, runId: string, message: string): Promise<RunNoteRecord> {
    const [note] = await tx.query<RunNoteRecord[]>(
      `/* addRunNote */ INSERT INTO run_notes (run_id, message) VALUES ($1, $2) RETURNING id::text AS id, run_id AS "runId", message, time`,
      [runId, message],
    );
    return note;
  }

  /** Every note of these runs, oldest first. */
  notesOfRuns(runIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<RunNoteRecord[]> {
    return runner.query(
      `/* notesOfRuns */ SELECT id::text AS id, run_id AS "runId", message, time FROM run_notes WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, id`,
      [runIds],
    );
  }

  /** The engine the newest run of `trainer` that got one trained on. */
  async latestEngine(trainer: TrainerKind): Promise<string | null> {
    const rows = await this.dataSource.query(
      `/* latestRunEngine */ SELECT engine FROM runs WHERE trainer = $1 AND engine IS NOT NULL ORDER BY seq DESC LIMIT 1`,
      [trainer],
    );
    return rows[0]?.engine ?? null;
  }

  /** The newest finished TFJS runs on `engine` that reported their training speed (Run.outputs.imagesPerSecond). */
  recentTfjsThroughput(engine: string, limit: number): Promise<{ architecture: string; imageSize: number; imagesPerSecond: number }[]> {
    return this.dataSource.query(
      `/* recentTfjsThroughput */ SELECT config->'tfjs'->>'architecture' AS architecture, (config->'tfjs'->>'imageSize')::int AS "imageSize",
         (outputs->>'imagesPerSecond')::float8 AS "imagesPerSecond"
       FROM runs WHERE trainer = 'TFJS' AND engine = $1 AND jsonb_typeof(outputs->'imagesPerSecond') = 'number' AND (outputs->>'imagesPerSecond')::float8 > 0
         AND config->'tfjs'->>'architecture' IS NOT NULL AND jsonb_typeof(config->'tfjs'->'imageSize') = 'number'
       ORDER BY seq DESC LIMIT $2`,
      [engine, limit],
    );
  }

  async recordOutputs(id: string, outputs: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`/* recordRunOutputs */ UPDATE runs SET outputs = $2::jsonb WHERE id = $1`, [id, JSON.stringify(outputs)]);
  }

  /**
   * Moves a run to `to` only from one of `from`: the check and the change are
   * one statement, so two writers can never both win. Null when the run was
   * not in one of `from` (or does not exist).
   */
  async transition(
    tx: SqlRunner,
    id: string,
    from: readonly RunStatus[],
    to: RunStatus,
    fields: { error?: string | null; workerId?: string | null; engine?: string | null; gpuName?: string | null } = {},
  ): Promise<RunRecord | null> {
    const rows = await tx.query<RunRecord[]>(
      // A CTE so the driver hands back rows (a bare UPDATE answers [rows, count]).
      `/* transitionRun */ WITH updated AS (UPDATE runs SET status = $3,
         error = CASE WHEN $3 IN ('FAILED', 'CANCELLED') THEN $4 ELSE NULL END,
         worker_id = COALESCE($5, worker_id), engine = COALESCE($6, engine), gpu_name = COALESCE($7, gpu_name),
         started_at = CASE WHEN $3 = 'RUNNING' THEN COALESCE(started_at, now()) ELSE started_at END,
         finished_at = CASE WHEN $3 IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN now() ELSE NULL END
       WHERE id = $1 AND status = ANY($2::text[]) RETURNING *)
       SELECT ${RUN_COLUMNS} FROM updated`,
      [id, from, to, fields.error ?? null, fields.workerId ?? null, fields.engine ?? null, fields.gpuName ?? null],
    );
    return rows[0] ?? null;
  }
}
