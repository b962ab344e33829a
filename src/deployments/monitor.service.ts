import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { deriveClassMetrics } from '../evaluations/class-metrics.js';
import type { EvaluationRecord } from '../evaluations/evaluation.record.js';
import { badInput, conflict, EpochalError, isUuid, notFound } from '../kernel/errors.js';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { parseInput } from '../kernel/validation.js';
import type { AlertRule, DeploymentRecord, MonitorMetric, PredictionRecord, WindowRecord } from './deployment.record.js';
import type { DeploymentRepository, NewPrediction } from './deployment.repository.js';
import type { DeploymentService } from './deployment.service.js';
import { readInputImages, type InputImage } from './image-input.js';
import { argMax, confusionMatrix, downsampleMinMax, ksStatistic, mean, populationStabilityIndex, predictedShare } from './monitor-statistics.js';

const MAX_TRUTHS = 1_000;
const truthsSchema = z
  .array(z.object({ predictionId: z.string(), label: z.string() }))
  .min(1, 'give at least one truth')
  .max(MAX_TRUTHS, `at most ${MAX_TRUTHS} truths per call`);

/** Window metrics as metric series of a deployment: key → what it reads. */
export const WINDOW_METRIC_KEYS: Record<string, (w: WindowRecord) => number | null> = {
  predicted_class_psi: (w) => w.predictedClassPsi,
  input_drift: (w) => w.inputDrift,
  mean_confidence: (w) => w.meanConfidence,
  macro_f1: (w) => w.macroF1,
};
const RULE_VALUE: Record<MonitorMetric, (w: WindowRecord) => number | null> = {
  PREDICTED_CLASS_PSI: (w) => w.predictedClassPsi,
  INPUT_DRIFT: (w) => w.inputDrift,
  MEAN_CONFIDENCE: (w) => w.meanConfidence,
  MACRO_F1: (w) => w.macroF1,
};

export interface PredictionPage {
  edges: { cursor: string; node: PredictionRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** A closed window with its evaluation over the predictions that have a truth. */
export type WindowWithEvaluation = WindowRecord & { evaluation: EvaluationRecord | null };


/**
 * Predictions and what watches them: windows that close every `windowSize`
 * predictions, late truths, and alerts. Every write of one deployment happens
 * under its row lock, so concurrent predicts close each window exactly once.
 */
export class MonitorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DeploymentRepository,
    private readonly deployments: DeploymentService,
    /** Folders a predict uri may be read from: the import roots and the data folder. */
    private readonly roots: () => Promise<readonly string[]>,
  ) {}

  async predict(deploymentId: string, input: unknown): Promise<PredictionRecord[]> {
    const images = await readInputImages(input, await this.roots());
    const deployment = await this.deployments.require(deploymentId);
    if (deployment.status !== 'ACTIVE') throw conflict(`deployment ${deploymentId} is ${deployment.status}; predictions need an ACTIVE deployment`, { status: deployment.status });
    const hashes = [...new Set(images.map((i) => i.contentHash))];
    const known = new Set((await this.repository.predictionsByHash(this.dataSource, deploymentId, hashes)).map((p) => p.contentHash));
    const fresh = uniqueBy(images.filter((i) => !known.has(i.contentHash)), (i) => i.contentHash);
    // One model call for every new image, outside the lock. A model that cannot load or answer is the server's
    // trouble, not the caller's: SERVICE_UNAVAILABLE (retryable), nothing stored.
    const scores = await this.deployments.model(deployment)
      .then((model) => model.predict(fresh.map((i) => i.bytes)))
      .catch((error: Error) => {
        throw new EpochalError('SERVICE_UNAVAILABLE', `deployment ${deploymentId}: the model could not answer (${error.message}); retry, or undeploy and deploy again`, { retryable: true });
      });
    const stored = await inTransaction(this.dataSource, async (tx) => {
      const locked = await this.repository.lock(tx, deploymentId);
      if (locked?.status !== 'ACTIVE') throw conflict(`deployment ${deploymentId} is ${locked?.status ?? 'gone'}; predictions need an ACTIVE deployment`);
      // Another call may have stored some of the same bytes meanwhile: those stay as they are.
      const already = new Set((await this.repository.predictionsByHash(tx, deploymentId, hashes)).map((p) => p.contentHash));
      const rows = fresh.flatMap((image, i) => (already.has(image.contentHash) ? [] : [{ image, scores: scores[i] }]))
        .map(({ image, scores }, offset) => newPrediction(locked, image, scores, locked.predictionCount + offset));
      await this.repository.insertPredictions(tx, deploymentId, rows);
      const count = locked.predictionCount + rows.length;
      await this.repository.setPredictionCount(tx, deploymentId, count);
      await this.closeWindows(tx, locked, locked.predictionCount, count);
      return this.repository.predictionsByHash(tx, deploymentId, hashes);
    });
    const byHash = new Map(stored.map((p) => [p.contentHash, p]));
    return images.map((i) => byHash.get(i.contentHash)!);
  }

  /** Late ground truth; re-recording replaces. Windows already closed get their evaluation (and MACRO_F1 alerts) updated. */
  async recordTruth(deploymentId: string, input: unknown): Promise<number> {
    const truths = parseInput(truthsSchema, input, 'truths');
    const deployment = await this.deployments.require(deploymentId);
    truths.forEach((t, i) => {
      if (!deployment.labels.includes(t.label)) throw badInput(`truths[${i}].label: "${t.label}" is not one of the deployment's labels (${deployment.labels.join(', ')})`);
      if (!isUuid(t.predictionId)) throw notFound('prediction', t.predictionId);
    });
    return inTransaction(this.dataSource, async (tx) => {
      const locked = (await this.repository.lock(tx, deploymentId))!;
      const updated = await this.repository.setTruths(tx, deploymentId, truths);
      const updatedIds = new Set(updated.map((u) => u.id));
      const missing = truths.find((t) => !updatedIds.has(t.predictionId));
      // Thrown inside the transaction: nothing of this call is kept.
      if (missing) throw notFound('prediction', missing.predictionId);
      const closed = Math.floor(locked.predictionCount / locked.windowSize);
      const windows = [...new Set(updated.map((u) => Math.floor(u.seq / locked.windowSize)).filter((w) => w < closed))];
      if (windows.length) await this.refreshMacroF1(tx, locked, windows);
      return updated.length;
    });
  }

  async predictions(deploymentId: string, first: number, after: string | null | undefined, total: number): Promise<PredictionPage> {
    if (!Number.isInteger(first) || first < 0 || first > 500) throw badInput(`first must be between 0 and 500; got ${first}`);
    const before = after == null ? null : Number.parseInt(after, 10);
    if (after != null && (!/^\d+$/.test(after) || !Number.isSafeInteger(before))) throw badInput(`after: ${after} is not a cursor of this list`);
    const rows = await this.repository.pagePredictions(deploymentId, first + 1, before);
    const edges = rows.slice(0, first).map((node) => ({ cursor: String(node.seq), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: total };
  }

  /** The last `last` closed windows, oldest first, each with its evaluation. */
  async windows(deployment: DeploymentRecord, last: number | null | undefined): Promise<WindowWithEvaluation[]> {
    const n = last ?? 50;
    if (!Number.isInteger(n) || n < 0 || n > 10_000) throw badInput(`last must be between 0 and 10000; got ${n}`);
    const windows = await this.repository.windows(deployment.id, n);
    if (windows.length === 0) return [];
    const truths = await this.repository.truthsBelow(this.dataSource, deployment.id, (windows.at(-1)!.index + 1) * deployment.windowSize);
    return windows.map((w) => ({ ...w, evaluation: windowEvaluation(deployment, w.index, truths) }));
  }

  /** A window metric over every closed window, step = window index, downsampled like run metrics. */
  async series(deployment: DeploymentRecord, key: string, maxPoints: number | null | undefined) {
    const limit = maxPoints ?? 1000;
    if (!Number.isInteger(limit) || limit < 2 || limit > 100_000) throw badInput(`maxPoints must be between 2 and 100000; got ${limit}`);
    const read = WINDOW_METRIC_KEYS[key];
    if (!read) return { key, totalPoints: 0, downsampled: false, points: [] };
    const points = (await this.repository.windows(deployment.id, null))
      .map((w) => ({ step: w.index, value: read(w), time: w.end }))
      .filter((p): p is { step: number; value: number; time: Date } => p.value != null);
    const kept = downsampleMinMax(points, limit);
    return { key, totalPoints: points.length, downsampled: kept.length < points.length, points: kept };
  }

  alerts(deploymentId: string) {
    return this.repository.alerts(deploymentId);
  }

  /** Closes every window completed by predictions [from, to): one row, its alerts and events each, in the caller's transaction. */
  private async closeWindows(tx: SqlRunner, deployment: DeploymentRecord, from: number, to: number): Promise<void> {
    const size = deployment.windowSize;
    const reference = deployment.reference!;
    for (let index = Math.floor(from / size); (index + 1) * size <= to; index++) {
      const rows = await this.repository.predictionsInRange(tx, deployment.id, index * size, (index + 1) * size);
      const predicted = rows.map((p) => deployment.labels.indexOf(p.label));
      const share = predictedShare(predicted, deployment.labels.length);
      const window: WindowRecord = {
        deploymentId: deployment.id, index, labels: deployment.labels, start: rows[0].createdAt, end: rows.at(-1)!.createdAt, predictions: rows.length,
        predictedShare: share, meanConfidence: mean(rows.map((p) => p.confidence)),
        predictedClassPsi: populationStabilityIndex(share, reference.predictedShare),
        inputDrift: ksStatistic(rows.map((p) => p.meanIntensity), reference.meanIntensity),
        macroF1: null,
      };
      // Truths may already be in (recorded while the window was open).
      const evaluation = windowEvaluation(deployment, index, rows.flatMap((p) => (p.truth ? [{ seq: p.seq, label: p.label, truth: p.truth }] : [])));
      window.macroF1 = evaluation?.macroF1 ?? null;
      await this.repository.insertWindow(tx, window);
      await this.deployments.publish(tx, { type: 'window', deploymentId: deployment.id, window: { ...window, evaluation } });
      await this.checkRules(tx, deployment, window, () => true);
    }
  }

  private async refreshMacroF1(tx: SqlRunner, deployment: DeploymentRecord, indexes: number[]): Promise<void> {
    const last = Math.max(...indexes);
    const truths = await this.repository.truthsBelow(tx, deployment.id, (last + 1) * deployment.windowSize);
    for (const index of indexes) {
      const macroF1 = windowEvaluation(deployment, index, truths)?.macroF1 ?? null;
      await this.repository.setWindowMacroF1(tx, deployment.id, index, macroF1);
    }
    for (const window of await this.repository.windowsByIndex(tx, deployment.id, indexes)) {
      await this.checkRules(tx, deployment, window, (m) => m === 'MACRO_F1');
    }
  }

  private async checkRules(tx: SqlRunner, deployment: DeploymentRecord, window: WindowRecord, applies: (metric: MonitorMetric) => boolean) {
    for (const [ruleIndex, rule] of deployment.alertRules.entries()) {
      if (!applies(rule.metric)) continue;
      const value = RULE_VALUE[rule.metric](window);
      if (value == null || !breaches(rule, value)) continue;
      const alert = await this.repository.insertAlert(tx, {
        deploymentId: deployment.id, ruleIndex, metric: rule.metric, window: window.index, value, threshold: (rule.above ?? rule.below)!,
      });
      if (alert) await this.deployments.publish(tx, { type: 'alert', deploymentId: deployment.id, alert });
    }
  }
}

const breaches = (rule: AlertRule, value: number) => (rule.above != null ? value > rule.above : value < rule.below!);

function newPrediction(deployment: DeploymentRecord, image: InputImage, scores: number[], seq: number): NewPrediction {
  const top = argMax(scores);
  return {
    seq, uri: image.uri, contentHash: image.contentHash, label: deployment.labels[top], confidence: scores[top], scores,
    meanIntensity: image.stats.meanIntensity, contrast: image.stats.contrast, sharpness: image.stats.sharpness,
  };
}

/** The Evaluation of one window: its predictions that have a truth; null when none has. */
function windowEvaluation(deployment: DeploymentRecord, index: number, truths: { seq: number; label: string; truth: string }[]): EvaluationRecord | null {
  const lo = index * deployment.windowSize;
  const hi = lo + deployment.windowSize;
  const pairs = truths
    .filter((t) => t.seq >= lo && t.seq < hi)
    .map((t) => ({ truth: deployment.labels.indexOf(t.truth), predicted: deployment.labels.indexOf(t.label) }));
  if (pairs.length === 0) return null;
  const matrix = confusionMatrix(pairs, deployment.labels.length);
  const derived = deriveClassMetrics(deployment.labels, matrix);
  return {
    runId: deployment.runId, labels: deployment.labels, confusionMatrix: matrix, accuracy: derived.accuracy, macroF1: derived.macroF1,
    testImages: derived.testImages, source: `deployment ${deployment.id} window ${index}`, createdAt: new Date(),
  };
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(key(item)) ? false : (seen.add(key(item)), true)));
}
