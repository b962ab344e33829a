import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { badInput, conflict, isUuid, notFound } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { PubSub } from '../kernel/pubsub.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { ProjectService } from '../projects/project.service.js';
import { RUN_STATUS_TOPIC } from '../kernel/topics.js';
import type { RunMessage } from '../kernel/run-event.js';
import { FINISHED_STATUSES, type RunNoteRecord, type RunRecord, type RunStatus, type TrainerKind } from './run.record.js';
import type { NewRun, RunRepository } from './run.repository.js';
import { decodeOrderedRunCursor, decodeRunCursor, encodeOrderedRunCursor, encodeRunCursor } from './run-cursor.js';
import type { RunFilter, RunOrder } from './run-query.sql.js';
import { flattenParams, MAX_PARAM_KEY_LENGTH, MAX_PARAM_VALUE_LENGTH, paramText } from './run-params.js';

export const MAX_PAGE_SIZE = 200;
const MAX_CONFIG_BYTES = 64 * 1024;
/** An EXTERNAL run silent this long (no point, epoch or heartbeat) fails, unless createRun said otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 3600;
const MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;

export const runNameSchema = z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters');
export const tagsSchema = z
  .array(z.string().trim().min(1, 'a tag must not be empty').max(64, 'a tag must be at most 64 characters'))
  .max(32, 'a run has at most 32 tags')
  .nullish()
  .transform((tags) => [...new Set(tags ?? [])]);
const createRunSchema = z.object({
  name: runNameSchema,
  id: z.string().refine(isUuid, 'id must be a UUID (e.g. from uuid4()); leave it out to let the server choose').nullish(),
  project: z.string().nullish(),
  datasetId: z.string().nullish(),
  config: z
    .record(z.string(), z.unknown(), { error: 'config must be a JSON object' })
    .nullish()
    .refine((c) => c == null || JSON.stringify(c).length <= MAX_CONFIG_BYTES, `config must be at most ${MAX_CONFIG_BYTES} bytes of JSON`),
  tags: tagsSchema,
  timeoutSeconds: z.number().int('timeoutSeconds must be a whole number of seconds').min(0, 'timeoutSeconds must be >= 0 (0: never)')
    .max(MAX_TIMEOUT_SECONDS, `timeoutSeconds must be at most ${MAX_TIMEOUT_SECONDS} (30 days); 0 turns the timeout off`).nullish(),
});

const MAX_CONDITIONS = 10;
const keySchema = z.string().min(1, 'key must not be empty').max(MAX_PARAM_KEY_LENGTH, `key must be at most ${MAX_PARAM_KEY_LENGTH} characters`);
const finiteBound = z.number().refine(Number.isFinite, 'bounds must be finite numbers').nullish();
const bounds = { gt: finiteBound, gte: finiteBound, lt: finiteBound, lte: finiteBound };
const hasBound = (c: { gt?: number | null; gte?: number | null; lt?: number | null; lte?: number | null }) => [c.gt, c.gte, c.lt, c.lte].some((b) => b != null);
const runFilterSchema = z.object({
  datasetId: z.string().refine(isUuid, 'is not a dataset id').nullish(),
  nameContains: z.string().max(200, 'must be at most 200 characters').nullish(),
  metrics: z.array(z.object({ key: keySchema, aggregate: z.enum(['LAST', 'MIN', 'MAX']).nullish(), ...bounds })
    .refine(hasBound, 'give at least one of gt, gte, lt, lte')).max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} metric conditions`).nullish(),
  params: z.array(z.object({ key: keySchema, equals: z.string().max(MAX_PARAM_VALUE_LENGTH).nullish(), ...bounds })
    .refine((c) => c.equals != null || hasBound(c), 'give equals, or at least one of gt, gte, lt, lte')).max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} param conditions`).nullish(),
}).passthrough();
const runOrderSchema = z.object({
  metric: keySchema.nullish(),
  param: keySchema.nullish(),
  aggregate: z.enum(['LAST', 'MIN', 'MAX']).nullish(),
  direction: z.enum(['ASC', 'DESC']).nullish(),
}).refine((o) => (o.metric == null) !== (o.param == null), 'give exactly one of metric, param');
const paramsSchema = z.record(keySchema, z.unknown(), { error: 'params must be a JSON object of key → value' })
  .refine((p) => Object.keys(p).length <= 100, 'at most 100 params per call')
  .refine((p) => Object.values(p).every((v) => paramText(v).length <= MAX_PARAM_VALUE_LENGTH), `a param's value must be at most ${MAX_PARAM_VALUE_LENGTH} characters as text`)
  .refine((p) => JSON.stringify(p).length <= MAX_CONFIG_BYTES, `params must be at most ${MAX_CONFIG_BYTES} bytes of JSON`);
export const tagValuesSchema = z.array(z.object({
  key: keySchema,
  value: z.string().max(8000, 'a tag value must be at most 8000 characters'),
})).max(100, 'at most 100 tags per call');

/** What Query.runs takes: the GraphQL input, with the project by name. */
export type RunQueryFilter = Omit<RunFilter, 'projectId'> & { project?: string | null };
export interface RunOrderInput {
  metric?: string | null;
  param?: string | null;
  aggregate?: 'LAST' | 'MIN' | 'MAX' | null;
  direction?: 'ASC' | 'DESC' | null;
}

export interface RunPage {
  edges: { cursor: string; node: RunRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export const isFinished = (status: RunStatus) => FINISHED_STATUSES.includes(status);

/**
 * What another domain does when a run is deleted, inside the deleting
 * transaction with the run's row locked: throw (CONFLICT) to refuse, or return
 * work for after the commit (removing files, which no rollback could restore).
 */
export type RunDeletionHook = (tx: SqlRunner, run: RunRecord) => Promise<(() => Promise<void>) | void>;

export class RunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RunRepository,
    private readonly datasets: DatasetService,
    private readonly projects: ProjectService,
    private readonly pubsub: PubSub,
  ) {}

  private readonly deletionHooks: RunDeletionHook[] = [];

  /** Domains that hold something of a run (artifacts, deployments) register here; see RunDeletionHook. */
  onDelete(hook: RunDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  /**
   * Deletes a finished run and every row it holds (points, rollups, epochs,
   * evaluation, notes, artifacts, deployments: the foreign keys cascade) in one
   * transaction, then its files. CONFLICT while QUEUED or RUNNING or refused by
   * a hook (a deployment serving it).
   */
  async delete(id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('run', id);
    const afterCommit = await inTransaction(this.dataSource, async (tx) => {
      const run = await this.repository.lock(tx, id);
      if (!run) throw notFound('run', id);
      if (!isFinished(run.status)) throw conflict(`run ${id} is ${run.status}; cancel it (cancelRun) or let it finish before deleting it`, { status: run.status });
      const work: (() => Promise<void>)[] = [];
      for (const hook of this.deletionHooks) {
        const after = await hook(tx, run);
        if (after) work.push(after);
      }
      await this.repository.delete(tx, id);
      return work;
    });
    for (const work of afterCommit) await work();
    return id;
  }

  async find(id: string): Promise<RunRecord | null> {
    if (!isUuid(id)) return null;
    const [run] = await this.repository.findByIds([id]);
    return run ?? null;
  }

  async require(id: string, runner?: SqlRunner): Promise<RunRecord> {
    const [run] = isUuid(id) ? await this.repository.findByIds([id], runner) : [];
    if (!run) throw notFound('run', id);
    return run;
  }

  findByIds(ids: readonly string[]): Promise<RunRecord[]> {
    return this.repository.findByIds(ids);
  }

  /** The engine the newest run of `trainer` trained on, null before any. */
  latestEngine(trainer: TrainerKind): Promise<string | null> {
    return this.repository.latestEngine(trainer);
  }

  /** Speeds TFJS runs on `engine` reached, newest first. */
  recentTfjsThroughput(engine: string, limit = 50) {
    return this.repository.recentTfjsThroughput(engine, limit);
  }

  async page(filter: RunQueryFilter | null | undefined, first: number, after: string | null | undefined, orderBy?: RunOrderInput | null): Promise<RunPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`);
    const f = await this.resolveFilter(filter ?? {});
    const totalCount = () => this.repository.count(f);
    if (!orderBy) {
      const beforeSeq = after ? decodeRunCursor(after) : null;
      const rows = await this.repository.page(f, first + 1, beforeSeq);
      return pageOf(rows, first, (node) => encodeRunCursor(node.seq), totalCount);
    }
    const o = parseInput(runOrderSchema, orderBy, 'orderBy');
    const order: RunOrder = o.metric != null
      ? { kind: 'metric', key: o.metric, aggregate: o.aggregate ?? 'LAST', direction: o.direction ?? 'DESC' }
      : { kind: 'param', key: o.param!, direction: o.direction ?? 'DESC' };
    const signature = JSON.stringify(order);
    const cursor = after ? decodeOrderedRunCursor(after, signature) : { value: null, seq: null };
    const rows = await this.repository.pageOrdered(f, order, first + 1, cursor.value, cursor.seq);
    return pageOf(rows, first, (node) => encodeOrderedRunCursor(signature, node.sortValue, node.seq), totalCount);
  }

  /** Checks a filter and names its project by id; an unknown project matches no run. */
  private async resolveFilter(filter: RunQueryFilter): Promise<RunFilter> {
    const { project, ...rest } = parseInput(runFilterSchema, filter, 'filter') as RunQueryFilter;
    if (project == null) return rest;
    const found = await this.projects.findByName(project);
    return { ...rest, projectId: found?.id ?? '00000000-0000-0000-0000-000000000000' };
  }

  /**
   * An EXTERNAL run that a client reports into: RUNNING until finishRun. With
   * a client-chosen id, sending it again answers the run created the first time.
   */
  async createExternal(input: unknown, tagValues?: Record<string, string>): Promise<RunRecord> {
    const parsed = parseInput(createRunSchema, input);
    if (parsed.datasetId) await this.datasets.require(parsed.datasetId);
    const project = await this.projects.ensure(parsed.project);
    const run = await this.insertOnce({
      id: parsed.id ?? null,
      name: parsed.name,
      trainer: 'EXTERNAL',
      status: 'RUNNING',
      datasetId: parsed.datasetId ?? null,
      config: parsed.config ?? {},
      tags: parsed.tags,
      startedAt: new Date(),
      timeoutSeconds: parsed.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      projectId: project.id,
      tagValues,
    });
    if (run) return run;
    const existing = await this.require(parsed.id!);
    if (existing.name !== parsed.name || existing.trainer !== 'EXTERNAL') {
      throw conflict(`id ${parsed.id} is already the id of another run ("${existing.name}"); choose a new UUID for a new run`);
    }
    return existing;
  }

  /** heartbeat(runId): the run's script is alive, though it has nothing to log. */
  async heartbeat(id: string): Promise<RunRecord> {
    if (isUuid(id) && (await this.repository.recordReport(id))) return this.require(id);
    const run = await this.require(id);
    throw conflict(`run ${id} is ${run.status}: only RUNNING runs take heartbeats; start a new run to report more`, { status: run.status });
  }

  /**
   * Fails RUNNING EXTERNAL runs silent for longer than their timeoutSeconds
   * (the script died without finishRun). Every process sweeps; each run is
   * failed once: its row is locked (others skip it) and moved only from RUNNING.
   */
  async failSilentRuns(): Promise<RunRecord[]> {
    return inTransaction(this.dataSource, async (tx) => {
      const failed: RunRecord[] = [];
      for (const silent of await this.repository.lockSilentRuns(tx)) {
        const error = `no report for ${silent.timeoutSeconds} s (its timeoutSeconds) since ${silent.reportedAt.toISOString()}: ` +
          'the script stopped logging points, epochs and heartbeats without finishRun (it crashed or was killed?); start a new run, or give a longer timeoutSeconds';
        const run = await this.transition(tx, silent.id, ['RUNNING'], 'FAILED', { error });
        if (run) failed.push(run);
      }
      return failed;
    });
  }

  /**
   * Inserts a run, its parameters (its config's leaves) and announces its
   * status; `alsoInTransaction` adds work that commits with it (the job).
   */
  async insertAndAnnounce(run: NewRun, alsoInTransaction?: (tx: SqlRunner, run: RunRecord) => Promise<void>): Promise<RunRecord> {
    const row = await this.insertOnce(run, alsoInTransaction);
    if (!row) throw conflict(`id ${run.id} is already the id of another run`);
    return row;
  }

  /** insertAndAnnounce, or null when `run.id` names an existing run (nothing written). */
  private insertOnce(run: NewRun, alsoInTransaction?: (tx: SqlRunner, run: RunRecord) => Promise<void>): Promise<RunRecord | null> {
    return inTransaction(this.dataSource, (tx) => this.insertRow(tx, run, alsoInTransaction));
  }

  /** insertAndAnnounce in the caller's transaction (a study's runs commit together). */
  async insertIn(tx: SqlRunner, run: NewRun, alsoInTransaction?: (tx: SqlRunner, run: RunRecord) => Promise<void>): Promise<RunRecord> {
    const row = await this.insertRow(tx, run, alsoInTransaction);
    if (!row) throw conflict(`id ${run.id} is already the id of another run`);
    return row;
  }

  private async insertRow(tx: SqlRunner, run: NewRun, alsoInTransaction?: (tx: SqlRunner, run: RunRecord) => Promise<void>): Promise<RunRecord | null> {
    const row = await this.repository.insert(tx, run);
    if (!row) return null;
    await this.repository.replaceParams(tx, row.id, [], flattenParams(row.config));
    await alsoInTransaction?.(tx, row);
    await this.announceStatus(tx, row);
    return row;
  }

  ofStudies(studyIds: readonly string[], runner?: SqlRunner): Promise<RunRecord[]> {
    return this.repository.ofStudies(studyIds, runner);
  }

  /** W&B's config.update: each top-level key replaces the config's, and the parameters follow; at any status. */
  async logParams(runId: string, params: unknown): Promise<RunRecord> {
    if (!isUuid(runId)) throw notFound('run', runId);
    const patch = parseInput(paramsSchema, params, 'params');
    return inTransaction(this.dataSource, async (tx) => {
      const run = await this.repository.mergeConfig(tx, runId, patch);
      if (!run) throw notFound('run', runId);
      await this.repository.replaceParams(tx, runId, Object.keys(patch), flattenParams(patch));
      return run;
    });
  }

  /** Key/value tags (MLflow's set-tag), merged into the run's; at any status. */
  async setTagValues(runId: string, tags: unknown): Promise<RunRecord> {
    const parsed = parseInput(tagValuesSchema, tags, 'tags');
    const run = isUuid(runId) ? await this.repository.mergeTagValues(runId, Object.fromEntries(parsed.map((t) => [t.key, t.value]))) : null;
    if (!run) throw notFound('run', runId);
    return run;
  }

  paramsOfRuns(runIds: readonly string[]) {
    return this.repository.paramsOfRuns(runIds);
  }

  /** A trainer's report (cost, model ids, ...), kept on the run as Run.outputs. */
  async recordOutputs(id: string, outputs: Record<string, unknown>): Promise<void> {
    await this.repository.recordOutputs(id, outputs);
  }

  /** A line of text about a run's progress (e.g. a cloud service's status): stored, and sent to its subscribers. */
  async note(runId: string, message: string): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      const note = await this.repository.addNote(tx, runId, message.slice(0, 2_000));
      const event: RunMessage = { type: 'note', runId, noteId: note.id, message: note.message, time: note.time.toISOString() };
      await this.pubsub.publishRunEvent(tx, runId, event);
    });
  }

  notesOfRuns(runIds: readonly string[], runner?: SqlRunner): Promise<RunNoteRecord[]> {
    return this.repository.notesOfRuns(runIds, runner);
  }

  async cancel(id: string): Promise<RunRecord> {
    return this.transitionOrExplain(id, ['QUEUED', 'RUNNING'], 'CANCELLED', { error: 'cancelled by a user' }, (run) =>
      `run ${id} is already ${run.status}; only QUEUED or RUNNING runs can be cancelled`);
  }

  async finish(id: string, status: RunStatus, error: string | null | undefined): Promise<RunRecord> {
    if (!isFinished(status)) throw badInput(`status must be SUCCEEDED, FAILED or CANCELLED to finish a run; got ${status}`);
    if (error != null && error.length > 10_000) throw badInput('error must be at most 10000 characters');
    if (error != null && status === 'SUCCEEDED') throw badInput('error can only be given with status FAILED or CANCELLED');
    const run = await this.require(id);
    if (run.trainer !== 'EXTERNAL' && !isFinished(run.status)) {
      throw conflict(`run ${id} is trained by ${run.trainer} workers, which finish it themselves; use cancelRun to stop it`);
    }
    // A retried finishRun with the same outcome answers the same run.
    if (run.status === status) return run;
    return this.transitionOrExplain(id, ['RUNNING', 'QUEUED'], status, { error: error ?? null }, (current) =>
      `run ${id} already finished as ${current.status}; it cannot become ${status}`);
  }

  /** A worker's status change, in the worker's transaction: no error, just null when the run moved on. */
  async transition(
    tx: SqlRunner,
    id: string,
    from: readonly RunStatus[],
    to: RunStatus,
    fields?: Parameters<RunRepository['transition']>[4],
  ): Promise<RunRecord | null> {
    const row = await this.repository.transition(tx, id, from, to, fields);
    if (row) await this.announceStatus(tx, row);
    return row;
  }

  private async transitionOrExplain(
    id: string,
    from: readonly RunStatus[],
    to: RunStatus,
    fields: { error?: string | null },
    explain: (run: RunRecord) => string,
  ): Promise<RunRecord> {
    if (!isUuid(id)) throw notFound('run', id);
    const updated = await inTransaction(this.dataSource, (tx) => this.transition(tx, id, from, to, fields));
    if (updated) return updated;
    // Only now read the run: to say whether it does not exist or is in another state.
    const current = await this.require(id);
    throw conflict(explain(current), { status: current.status });
  }

  private async announceStatus(tx: SqlRunner, run: RunRecord): Promise<void> {
    const message: RunMessage = { type: 'status', runId: run.id, status: run.status, error: run.error };
    await this.pubsub.publish(tx, RUN_STATUS_TOPIC, message);
    // Last: it holds the run's log head until commit (see PubSub.publishRunEvent).
    await this.pubsub.publishRunEvent(tx, run.id, message);
  }
}

function pageOf<T extends RunRecord>(rows: T[], first: number, cursorOf: (node: T) => string, totalCount: () => Promise<number>): RunPage {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
