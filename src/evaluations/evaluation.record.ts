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
}
