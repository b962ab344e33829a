export interface EvaluationRecord {
  runId: string;
  labels: string[];
  /** Rows: true label, columns: predicted, in `labels` order. */
  confusionMatrix: number[][];
  accuracy: number;
  macroF1: number;
  testImages: number;
  /** Where the numbers came from, when not counted by us (e.g. a service's summary). */
  source: string | null;
  createdAt: Date;
  /** Set for a model evaluated on other data; absent for the run's own TEST evaluation (its dataset, TEST). */
  datasetId?: string;
  split?: 'TRAIN' | 'VALIDATION' | 'TEST';
}

export type ModelEvaluationStatus = 'WAITING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/**
 * A run's model evaluated on a dataset's split (evaluateRun, robustness arms). WAITING while the
 * run still trains, QUEUED once it succeeded, then a worker evaluates it. The figures are null
 * until SUCCEEDED.
 */
export interface ModelEvaluationRecord {
  id: string;
  runId: string;
  datasetId: string;
  split: 'TRAIN' | 'VALIDATION' | 'TEST';
  status: ModelEvaluationStatus;
  error: string | null;
  labels: string[] | null;
  confusionMatrix: number[][] | null;
  accuracy: number | null;
  macroF1: number | null;
  testImages: number | null;
  source: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** A SUCCEEDED model evaluation as an Evaluation (with its data); null before. */
export function asEvaluation(job: ModelEvaluationRecord): EvaluationRecord | null {
  if (job.status !== 'SUCCEEDED' || !job.labels || !job.confusionMatrix) return null;
  return {
    runId: job.runId, labels: job.labels, confusionMatrix: job.confusionMatrix, accuracy: job.accuracy!, macroF1: job.macroF1!,
    testImages: job.testImages!, source: job.source, createdAt: job.finishedAt ?? job.createdAt, datasetId: job.datasetId, split: job.split,
  };
}
