import { z } from 'zod';
import { badInput, isUuid, notFound } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { RunRecord } from '../runs/run.record.js';
import type { RunService } from '../runs/run.service.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import { confusionMatrixProblem, deriveClassMetrics, type ClassMetrics } from './class-metrics.js';
import type { EvaluationRecord } from './evaluation.record.js';
import type { EvaluationRepository } from './evaluation.repository.js';
import { runCost, type RunCost } from './run-cost.js';

const MAX_LABELS = 1000;
const MAX_TEST_IMAGES = 2_147_483_647;
const evaluationSchema = z.object({
  labels: z.array(z.string().max(200, 'a label must be at most 200 characters')).max(MAX_LABELS, `at most ${MAX_LABELS} labels`),
  confusionMatrix: z.array(z.array(z.number())),
});

export interface RunComparison {
  labels: string[];
  runs: RunRecord[];
  rows: { label: string; cells: (ClassMetrics | null)[] }[];
  costs: RunCost[];
  testSets: (string | null)[];
  testSetWarning: string | null;
}

export class EvaluationService {
  constructor(
    private readonly repository: EvaluationRepository,
    private readonly runs: RunService,
    private readonly datasets: DatasetService,
    /** EPOCHAL_MACHINE_USD_PER_HOUR; null: TFJS runs are not priced. */
    private readonly machineUsdPerHour: number | null = null,
  ) {}

  /** Records (or replaces) a run's evaluation from its confusion matrix, at any status. */
  async record(runId: string, input: unknown, source: string | null = null): Promise<EvaluationRecord> {
    const { labels, confusionMatrix } = parseInput(evaluationSchema, input, 'input');
    const problem = confusionMatrixProblem(labels, confusionMatrix);
    if (problem) throw badInput(`input: ${problem}`);
    // testImages is stored as an integer: the counts together must fit one.
    const total = confusionMatrix.flat().reduce((sum, n) => sum + n, 0);
    if (total > MAX_TEST_IMAGES) throw badInput(`input.confusionMatrix: its counts sum to ${total}; at most ${MAX_TEST_IMAGES} images in all`);
    if (!isUuid(runId)) throw notFound('run', runId);
    const derived = deriveClassMetrics(labels, confusionMatrix);
    const row = await this.repository.upsert({
      runId, labels, confusionMatrix, accuracy: derived.accuracy, macroF1: derived.macroF1, testImages: derived.testImages, source,
    });
    if (!row) throw notFound('run', runId);
    return row;
  }

  ofRuns(runIds: readonly string[]): Promise<EvaluationRecord[]> {
    return this.repository.ofRuns(runIds);
  }

  /**
   * The paper's table: one row per label (the union, sorted) plus "macro", a
   * cell per run; null where the run has no evaluation or not that label.
   */
  async compare(ids: readonly string[]): Promise<RunComparison> {
    if (ids.length === 0) throw badInput('ids must name at least one run');
    if (ids.length > 50) throw badInput('compareRuns takes at most 50 runs');
    const unique = [...new Set(ids)];
    const runs = await this.runs.findByIds(unique.filter(isUuid));
    const byId = new Map(runs.map((r) => [r.id, r]));
    const missing = unique.find((id) => !byId.has(id));
    if (missing) throw notFound('run', missing);
    const evaluations = new Map((await this.repository.ofRuns(unique)).map((e) => [e.runId, e]));
    const perRun = unique.map((id) => {
      const evaluation = evaluations.get(id);
      return evaluation ? deriveClassMetrics(evaluation.labels, evaluation.confusionMatrix) : null;
    });
    const labels = [...new Set(perRun.flatMap((m) => m?.perClass.map((c) => c.label) ?? []))].sort();
    const rows = labels.map((label) => ({ label, cells: perRun.map((m) => m?.perClass.find((c) => c.label === label) ?? null) }));
    rows.push({
      label: 'macro',
      cells: perRun.map((m) => (m ? macroRow(m.perClass) : null)),
    });
    const ordered = unique.map((id) => byId.get(id)!);
    const { testSets, warning } = await this.testSets(ordered, new Set(evaluations.keys()));
    return { labels, runs: ordered, rows, costs: ordered.map((run) => runCost(run, this.machineUsdPerHour)), testSets, testSetWarning: warning };
  }

  /**
   * Each run's TEST set digest, and a warning when the evaluated runs were not
   * all scored on the same one (their numbers are then not comparable), or
   * when an evaluated run has no dataset to tell.
   */
  private async testSets(runs: RunRecord[], evaluated: Set<string>): Promise<{ testSets: (string | null)[]; warning: string | null }> {
    const datasetIds = [...new Set(runs.flatMap((r) => (r.datasetId ? [r.datasetId] : [])))];
    const digests = new Map((await this.datasets.testSetDigests(datasetIds)).map((d) => [d.datasetId, d.digest]));
    const names = new Map((await this.datasets.findByIds(datasetIds)).map((d) => [d.id, d.name]));
    const testSets = runs.map((r) => (r.datasetId ? digests.get(r.datasetId) ?? null : null));
    const scored = runs.map((run, i) => ({ run, digest: testSets[i] })).filter(({ run }) => evaluated.has(run.id));
    const unknown = scored.filter((s) => s.digest === null).map((s) => `"${s.run.name}"`);
    const groups = new Map<string, string[]>();
    for (const { run, digest } of scored) {
      if (digest === null) continue;
      const dataset = names.get(run.datasetId!) ?? run.datasetId!;
      groups.set(digest, [...(groups.get(digest) ?? []), `"${run.name}" (${dataset})`]);
    }
    const problems: string[] = [];
    if (groups.size > 1) {
      problems.push(`these runs were evaluated on ${groups.size} different TEST sets: ${[...groups.values()].map((g) => g.join(', ')).join(' vs ')}`);
    }
    if (unknown.length > 0 && scored.length > 1) problems.push(`${unknown.join(', ')} ${unknown.length === 1 ? 'has' : 'have'} no dataset, so ${unknown.length === 1 ? 'its' : 'their'} TEST set is unknown`);
    return { testSets, warning: problems.length ? `${problems.join('; ')}: compare their numbers with care.` : null };
  }
}

function macroRow(perClass: ClassMetrics[]): ClassMetrics {
  const n = perClass.length || 1;
  const mean = (pick: (c: ClassMetrics) => number) => perClass.reduce((s, c) => s + pick(c), 0) / n;
  return { label: 'macro', precision: mean((c) => c.precision), recall: mean((c) => c.recall), f1: mean((c) => c.f1), support: perClass.reduce((s, c) => s + c.support, 0) };
}
