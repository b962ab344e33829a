import { EntitySchema } from 'typeorm';

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

export const EvaluationEntity = new EntitySchema<EvaluationRecord>({
  name: 'Evaluation',
  tableName: 'evaluations',
  columns: {
    runId: { name: 'run_id', type: 'uuid', primary: true },
    labels: { type: 'text', array: true },
    confusionMatrix: { name: 'confusion_matrix', type: 'jsonb' },
    accuracy: { type: 'double precision' },
    macroF1: { name: 'macro_f1', type: 'double precision' },
    testImages: { name: 'test_images', type: 'integer' },
    source: { type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});
