import { EntitySchema } from 'typeorm';

export interface EpochRecord {
  runId: string;
  phase: string;
  index: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
  durationMs: number | null;
  createdAt: Date;
}

export interface MetricPointRecord {
  step: number;
  value: number;
  time: Date;
}

const nullableDouble = { type: 'double precision', nullable: true } as const;

export const EpochEntity = new EntitySchema<EpochRecord & { seq: string }>({
  name: 'Epoch',
  tableName: 'epochs',
  columns: {
    runId: { name: 'run_id', type: 'uuid', primary: true },
    phase: { type: 'text', primary: true },
    index: { type: 'integer', primary: true },
    loss: nullableDouble,
    accuracy: nullableDouble,
    valLoss: { ...nullableDouble, name: 'val_loss' },
    valAccuracy: { ...nullableDouble, name: 'val_accuracy' },
    learningRate: { ...nullableDouble, name: 'learning_rate' },
    durationMs: { name: 'duration_ms', type: 'integer', nullable: true },
    seq: { type: 'bigint', generated: 'increment' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});

export const MetricPointEntity = new EntitySchema<MetricPointRecord & { runId: string; key: string }>({
  name: 'MetricPoint',
  tableName: 'metric_points',
  columns: {
    runId: { name: 'run_id', type: 'uuid', primary: true },
    key: { type: 'text', primary: true },
    step: { type: 'integer', primary: true },
    value: { type: 'double precision' },
    time: { type: 'timestamptz', default: () => 'now()' },
  },
});
