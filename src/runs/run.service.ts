import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { badInput, conflict, isUuid, notFound } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { PubSub } from '../kernel/pubsub.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import { RUN_STATUS_TOPIC, runTopic } from '../kernel/topics.js';
import type { RunMessage } from '../kernel/run-event.js';
import { FINISHED_STATUSES, type RunNoteRecord, type RunRecord, type RunStatus, type TrainerKind } from './run.record.js';
import type { NewRun, RunFilter, RunRepository } from './run.repository.js';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';

export const MAX_PAGE_SIZE = 200;
const MAX_CONFIG_BYTES = 64 * 1024;

export const runNameSchema = z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters');
export const tagsSchema = z
  .array(z.string().trim().min(1, 'a tag must not be empty').max(64, 'a tag must be at most 64 characters'))
  .max(32, 'a run has at most 32 tags')
  .nullish()
  .transform((tags) => [...new Set(tags ?? [])]);
const createRunSchema = z.object({
  name: runNameSchema,
  datasetId: z.string().nullish(),
  config: z
    .record(z.string(), z.unknown(), { error: 'config must be a JSON object' })
    .nullish()
    .refine((c) => c == null || JSON.stringify(c).length <= MAX_CONFIG_BYTES, `config must be at most ${MAX_CONFIG_BYTES} bytes of JSON`),
  tags: tagsSchema,
});

export interface RunPage {
  edges: { cursor: string; node: RunRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export const isFinished = (status: RunStatus) => FINISHED_STATUSES.includes(status);

export class RunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RunRepository,
    private readonly datasets: DatasetService,
    private readonly pubsub: PubSub,
  ) {}

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

  async page(filter: RunFilter | null | undefined, first: number, after: string | null | undefined): Promise<RunPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`);
    const f = filter ?? {};
    if (f.datasetId && !isUuid(f.datasetId)) throw badInput(`filter.datasetId: ${f.datasetId} is not a dataset id`);
    if (f.nameContains && f.nameContains.length > 200) throw badInput('filter.nameContains must be at most 200 characters');
    const beforeSeq = after ? decodeRunCursor(after) : null;
    const rows = await this.repository.page(f, first + 1, beforeSeq);
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeRunCursor(node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: () => this.repository.count(f),
    };
  }

  /** An EXTERNAL run that a client reports into: RUNNING until finishRun. */
  async createExternal(input: unknown): Promise<RunRecord> {
    const parsed = parseInput(createRunSchema, input);
    if (parsed.datasetId) await this.datasets.require(parsed.datasetId);
    return this.insertAndAnnounce({
      name: parsed.name,
      trainer: 'EXTERNAL',
      status: 'RUNNING',
      datasetId: parsed.datasetId ?? null,
      config: parsed.config ?? {},
      tags: parsed.tags,
      startedAt: new Date(),
    });
  }

  /** Inserts a run and announces its status; `alsoInTransaction` adds work that commits with it (the job). */
  async insertAndAnnounce(run: NewRun, alsoInTransaction?: (tx: SqlRunner, run: RunRecord) => Promise<void>): Promise<RunRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const row = await this.repository.insert(tx, run);
      await alsoInTransaction?.(tx, row);
      await this.announceStatus(tx, row);
      return row;
    });
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
      await this.pubsub.publish(tx, runTopic(runId), event);
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
    await this.pubsub.publish(tx, runTopic(run.id), message);
    await this.pubsub.publish(tx, RUN_STATUS_TOPIC, message);
  }
}
