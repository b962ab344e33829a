import type { DataSource } from 'typeorm';
import { badInput, conflict } from '../kernel/errors.js';
import type { JobQueue } from '../kernel/job-queue.js';
import type { PubSub } from '../kernel/pubsub.js';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { MODEL_EVALUATION_STATUS_TOPIC } from '../kernel/topics.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { Split } from '../datasets/dataset.record.js';
import type { RunRecord } from '../runs/run.record.js';
import type { RunService } from '../runs/run.service.js';
import { deriveClassMetrics } from './class-metrics.js';
import type { ModelEvaluationRecord, ModelEvaluationStatus } from './evaluation.record.js';
import type { ModelEvaluationRepository } from './model-evaluation.repository.js';

/** What subscribers (studyEvents) hear when an evaluation changes status. */
export interface ModelEvaluationMessage {
  evaluationId: string;
  runId: string;
  status: ModelEvaluationStatus;
}

/**
 * evaluateRun: a run's model evaluated on another dataset's split by a worker. Asked before the
 * run has finished training, it WAITs and is queued in the transaction that marks the run
 * SUCCEEDED (releaseWaiting), so it is never lost between the two.
 */
export class ModelEvaluationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ModelEvaluationRepository,
    private readonly runs: RunService,
    private readonly datasets: DatasetService,
    private readonly queue: JobQueue,
    private readonly pubsub: PubSub,
  ) {}

  async request(runId: string, datasetId: string, split: Split = 'TEST'): Promise<ModelEvaluationRecord> {
    const run = await this.runs.require(runId);
    if (run.trainer === 'EXTERNAL') throw badInput(`runId: run ${run.id} is EXTERNAL; its model is not kept here, so it cannot be evaluated on other data`);
    if (run.status === 'FAILED' || run.status === 'CANCELLED') throw conflict(`run ${run.id} is ${run.status}: it has no model to evaluate`, { status: run.status });
    const dataset = await this.datasets.require(datasetId);
    const counts = await this.datasets.classCounts(run.datasetId ? [dataset.id, run.datasetId] : [dataset.id]);
    const labels = new Set(counts.filter((c) => c.datasetId === dataset.id && c.split === split).map((c) => c.label));
    if (labels.size === 0) throw badInput(`split: dataset "${dataset.name}" has no ${split} images`);
    const known = new Set(counts.filter((c) => c.datasetId === run.datasetId).map((c) => c.label));
    const unknown = [...labels].filter((label) => !known.has(label));
    if (unknown.length) throw badInput(`datasetId: dataset "${dataset.name}" has labels the run's model does not know: ${unknown.sort().join(', ')}`);
    return inTransaction(this.dataSource, (tx) => this.requestIn(tx, run, dataset.id, split));
  }

  /** Records the request in the caller's transaction: QUEUED (and its job) for a SUCCEEDED run, WAITING before. */
  async requestIn(tx: SqlRunner, run: Pick<RunRecord, 'id' | 'status'>, datasetId: string, split: Split): Promise<ModelEvaluationRecord> {
    const status = run.status === 'SUCCEEDED' ? 'QUEUED' : 'WAITING';
    const row = await this.repository.request(tx, { runId: run.id, datasetId, split, status });
    if (status === 'QUEUED') await this.queue.enqueueEvaluation(tx, { evaluationId: row.id });
    await this.announce(tx, [row]);
    return row;
  }

  /** In the transaction that marks a run SUCCEEDED: its waiting evaluations are queued. */
  async releaseWaiting(tx: SqlRunner, runId: string): Promise<void> {
    const released = await this.repository.transition(tx, { runIds: [runId] }, ['WAITING'], 'QUEUED');
    for (const row of released) await this.queue.enqueueEvaluation(tx, { evaluationId: row.id });
    await this.announce(tx, released);
  }

  /** Evaluations of these runs not yet started never will be (cancelStudy). */
  async cancelPending(tx: SqlRunner, runIds: readonly string[]): Promise<void> {
    await this.announce(tx, await this.repository.transition(tx, { runIds }, ['WAITING', 'QUEUED'], 'CANCELLED', 'cancelled by a user'));
  }

  /** A worker takes a QUEUED evaluation; null when it is no longer QUEUED. */
  async start(evaluationId: string): Promise<ModelEvaluationRecord | null> {
    return inTransaction(this.dataSource, async (tx) => {
      const [row] = await this.repository.transition(tx, { ids: [evaluationId] }, ['QUEUED'], 'RUNNING');
      await this.announce(tx, row ? [row] : []);
      return row ?? null;
    });
  }

  async complete(evaluationId: string, result: { labels: string[]; confusionMatrix: number[][]; source: string }): Promise<void> {
    const derived = deriveClassMetrics(result.labels, result.confusionMatrix);
    await inTransaction(this.dataSource, async (tx) => {
      const row = await this.repository.complete(tx, evaluationId, { ...result, accuracy: derived.accuracy, macroF1: derived.macroF1, testImages: derived.testImages });
      await this.announce(tx, row ? [row] : []);
    });
  }

  async fail(evaluationId: string, error: string): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => this.announce(tx, await this.repository.transition(tx, { ids: [evaluationId] }, ['QUEUED', 'RUNNING'], 'FAILED', error)));
  }

  find(evaluationId: string): Promise<ModelEvaluationRecord | undefined> {
    return this.repository.findByIds([evaluationId]).then((rows) => rows[0]);
  }

  ofRuns(runIds: readonly string[]): Promise<ModelEvaluationRecord[]> {
    return this.repository.ofRuns(runIds);
  }

  private async announce(tx: SqlRunner, rows: readonly ModelEvaluationRecord[]): Promise<void> {
    for (const row of rows) {
      const message: ModelEvaluationMessage = { evaluationId: row.id, runId: row.runId, status: row.status };
      await this.pubsub.publish(tx, MODEL_EVALUATION_STATUS_TOPIC, message);
    }
  }
}
