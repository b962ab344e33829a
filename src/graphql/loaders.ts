import DataLoader from 'dataloader';
import type { Services } from '../services.js';
import type { DatasetRecord } from '../datasets/dataset.record.js';
import type { ClassCountRow } from '../datasets/dataset.repository.js';
import type { EpochRecord } from '../metrics/metric.record.js';
import type { EvaluationRecord } from '../evaluations/evaluation.record.js';
import type { ArtifactRecord } from '../artifacts/artifact.record.js';
import type { RunNoteRecord } from '../runs/run.record.js';

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/**
 * Per-request batching: a page of runs with their datasets, epochs and
 * evaluations costs one statement per kind, whatever the page size.
 */
export function createLoaders(services: Services) {
  return {
    dataset: new DataLoader<string, DatasetRecord | null>(async (ids) => {
      const rows = await services.datasets.findByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    classCounts: new DataLoader<string, ClassCountRow[]>(async (ids) =>
      groupBy(ids, await services.datasets.classCounts(ids), (r) => r.datasetId)),
    epochs: new DataLoader<string, EpochRecord[]>(async (ids) =>
      groupBy(ids, await services.metrics.epochsOfRuns(ids), (r) => r.runId)),
    metricKeys: new DataLoader<string, string[]>(async (ids) =>
      groupBy(ids, await services.metrics.metricKeysOfRuns(ids), (r) => r.runId).map((rows) => rows.map((r) => r.key))),
    evaluation: new DataLoader<string, EvaluationRecord | null>(async (ids) =>
      groupBy(ids, await services.evaluations.ofRuns(ids), (r) => r.runId).map((rows) => rows[0] ?? null)),
    artifacts: new DataLoader<string, ArtifactRecord[]>(async (ids) =>
      groupBy(ids, await services.artifacts.ofRuns(ids), (r) => r.runId)),
    notes: new DataLoader<string, RunNoteRecord[]>(async (ids) =>
      groupBy(ids, await services.runs.notesOfRuns(ids), (r) => r.runId)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
