import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import { DEFAULT_PROJECT_ID } from '../projects/project.record.js';
import type { RunNoteRecord, RunParamRecord, RunRecord, RunStatus, TrainerKind } from './run.record.js';
import { afterSql, filterSql, orderBySql, orderJoinSql, type RunFilter, type RunOrder } from './run-query.sql.js';

/** The run's event-log head: its last cursor, and when it last reported (its creation before any report). */
const eventHeadColumns = (id: string, createdAt: string) =>
  `COALESCE((SELECT h.last_seq FROM run_event_heads h WHERE h.run_id = ${id}), 0)::text AS "eventSeq", ` +
  `COALESCE((SELECT h.reported_at FROM run_event_heads h WHERE h.run_id = ${id}), ${createdAt}) AS "reportedAt"`;

export const RUN_COLUMNS = `id, seq::text AS seq, name, trainer, status, dataset_id AS "datasetId", config, tags, error,
  worker_id AS "workerId", engine, gpu_name AS "gpuName", outputs, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt",
  study_id AS "studyId", study_arm AS "studyArm", project_id AS "projectId", tag_values AS "tagValues",
  timeout_seconds AS "timeoutSeconds", ${eventHeadColumns('id', 'created_at')}`;
/** The same columns of `runs` in a query that joins other tables. */
const COLUMNS_OF_RUNS = `runs.id, runs.seq::text AS seq, runs.name, runs.trainer, runs.status, runs.dataset_id AS "datasetId", runs.config, runs.tags, runs.error,
  runs.worker_id AS "workerId", runs.engine, runs.gpu_name AS "gpuName", runs.outputs, runs.created_at AS "createdAt", runs.started_at AS "startedAt",
  runs.finished_at AS "finishedAt", runs.study_id AS "studyId", runs.study_arm AS "studyArm", runs.project_id AS "projectId", runs.tag_values AS "tagValues",
  runs.timeout_seconds AS "timeoutSeconds", ${eventHeadColumns('runs.id', 'runs.created_at')}`;

export interface NewRun {
  name: string;
  trainer: TrainerKind;
  status: RunStatus;
  datasetId: string | null;
  config: unknown;
  tags: string[];
  startedAt: Date | null;
  /** EXTERNAL runs: seconds without a report before the run fails (0: never). */
  timeoutSeconds?: number | null;
  /** Default: the default project. */
  projectId?: string | null;
  /** A client-chosen id (idempotent creation); default: a new one. */
  id?: string | null;
  tagValues?: Record<string, string>;
  /** A study's run: its study and arm position. */
  study?: { id: string; arm: number };
}

/** A RUNNING EXTERNAL run silent for longer than its timeout. */
export interface SilentRun {
  id: string;
  timeoutSeconds: number;
  reportedAt: Date;
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

  /**
   * `limit` rows in `order` after the run (`afterValue`, `afterSeq`); each row
   * carries its sort value (`sortValue`) for the next cursor.
   */
  pageOrdered(filter: RunFilter, order: RunOrder, limit: number, afterValue: number | null, afterSeq: string | null): Promise<(RunRecord & { sortValue: number | null })[]> {
    const { where, params } = filterSql(filter, 4);
    return this.dataSource.query(
      `/* pageRunsOrdered */ SELECT ${COLUMNS_OF_RUNS}, o.v AS "sortValue" FROM runs ${orderJoinSql(order, '$2')}
       WHERE ${where} AND ${afterSql(order.direction, '$3', '$4')} ${orderBySql(order.direction)} LIMIT $1`,
      [limit, order.key, afterValue, afterSeq, ...params],
    );
  }

  async count(filter: RunFilter): Promise<number> {
    const { where, params } = filterSql(filter, 0);
    const [row] = await this.dataSource.query(`/* countRuns */ SELECT count(*)::int AS n FROM runs WHERE ${where}`, params);
    return row.n;
  }

  /** The run, its row locked until the transaction ends; null when missing. */
  async lock(tx: SqlRunner, id: string): Promise<RunRecord | null> {
    const rows = await tx.query(`/* lockRun */ SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Deletes the run; every table that holds a run's rows cascades from it. */
  async delete(tx: SqlRunner, id: string): Promise<void> {
    await tx.query(`/* deleteRun */ DELETE FROM runs WHERE id = $1`, [id]);
  }

  /** The new run; null when `run.id` was given and a run with that id exists already. */
  async insert(tx: SqlRunner, run: NewRun): Promise<RunRecord | null> {
    const [row] = await tx.query<RunRecord[]>(
      `/* insertRun */ INSERT INTO runs (id, name, trainer, status, dataset_id, config, tags, started_at, project_id, tag_values, timeout_seconds, study_id, study_arm)
       VALUES (COALESCE($8::uuid, gen_random_uuid()), $1, $2, $3, $4, $5::jsonb, $6::text[], $7, $9, $10::jsonb, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING RETURNING ${RUN_COLUMNS}`,
      [run.name, run.trainer, run.status, run.datasetId, JSON.stringify(run.config ?? {}), run.tags, run.startedAt, run.id ?? null,
        run.projectId ?? DEFAULT_PROJECT_ID, JSON.stringify(run.tagValues ?? {}), run.timeoutSeconds ?? null,
        run.study?.id ?? null, run.study?.arm ?? null],
    );
    return row ?? null;
  }

  /** Replaces parameters: every stored key equal to or below (`key.`) one of `replacedRoots` goes, then `params` are written. */
  async replaceParams(tx: SqlRunner, runId: string, replacedRoots: string[], params: { key: string; value: string; num: number | null }[]): Promise<void> {
    await tx.query(
      `/* replaceRunParams */ WITH gone AS (
         DELETE FROM run_params WHERE run_id = $1 AND key <> ALL($3::text[])
           AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS r(root) WHERE key = r.root OR starts_with(key, r.root || '.')))
       INSERT INTO run_params (run_id, key, value, num)
       SELECT $1, k, v, n FROM unnest($3::text[], $4::text[], $5::float8[]) AS p(k, v, n) ORDER BY k
       ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value, num = EXCLUDED.num`,
      [runId, replacedRoots, params.map((p) => p.key), params.map((p) => p.value), params.map((p) => p.num)],
    );
  }

  /** Merges top-level keys into the run's config; null when the run does not exist. */
  async mergeConfig(tx: SqlRunner, runId: string, patch: Record<string, unknown>): Promise<RunRecord | null> {
    const rows = await tx.query<RunRecord[]>(
      `/* mergeRunConfig */ WITH updated AS (UPDATE runs SET config = config || $2::jsonb WHERE id = $1 RETURNING *) SELECT ${RUN_COLUMNS} FROM updated`,
      [runId, JSON.stringify(patch)],
    );
    return rows[0] ?? null;
  }

  /** Merges key/value tags; null when the run does not exist. */
  async mergeTagValues(runId: string, tags: Record<string, string>): Promise<RunRecord | null> {
    const rows = await this.dataSource.query<RunRecord[]>(
      `/* mergeRunTagValues */ WITH updated AS (UPDATE runs SET tag_values = tag_values || $2::jsonb WHERE id = $1 RETURNING *) SELECT ${RUN_COLUMNS} FROM updated`,
      [runId, JSON.stringify(tags)],
    );
    return rows[0] ?? null;
  }

  /** Every parameter of these runs, by run then key. */
  paramsOfRuns(runIds: readonly string[]): Promise<RunParamRecord[]> {
    return this.dataSource.query(
      `/* paramsOfRuns */ SELECT run_id AS "runId", key, value FROM run_params WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, key`,
      [runIds],
    );
  }

  /** Every run of these studies, by arm then creation. */
  ofStudies(studyIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<RunRecord[]> {
    return runner.query(
      `/* runsOfStudies */ SELECT ${RUN_COLUMNS} FROM runs WHERE study_id = ANY($1::uuid[]) ORDER BY study_id, study_arm, seq`,
      [studyIds],
    );
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

  /**
   * Records a report of a RUNNING run (its head's reported_at), holding the run
   * row so a sweep deciding it is silent waits for it, or it for the sweep.
   * False when the run is not RUNNING (or unknown).
   */
  async recordReport(runId: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ runId: string }[]>(
      `/* recordRunReport */ WITH running AS (SELECT id FROM runs WHERE id = $1 AND status = 'RUNNING' FOR SHARE)
       INSERT INTO run_event_heads AS h (run_id, last_seq) SELECT id, 0 FROM running
       ON CONFLICT (run_id) DO UPDATE SET reported_at = now() RETURNING h.run_id AS "runId"`,
      [runId],
    );
    return rows.length > 0;
  }

  /** Locks the RUNNING EXTERNAL runs silent for longer than their timeout; runs another process holds are skipped. */
  lockSilentRuns(tx: SqlRunner): Promise<SilentRun[]> {
    return tx.query<SilentRun[]>(
      `/* lockSilentRuns */ SELECT r.id, r.timeout_seconds AS "timeoutSeconds", h.reported_at AS "reportedAt"
       FROM runs r JOIN run_event_heads h ON h.run_id = r.id
       WHERE r.status = 'RUNNING' AND r.trainer = 'EXTERNAL' AND r.timeout_seconds > 0
         AND h.reported_at < now() - make_interval(secs => r.timeout_seconds)
       ORDER BY r.id
       FOR UPDATE OF r SKIP LOCKED`,
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
