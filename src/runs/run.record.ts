import { EntitySchema } from 'typeorm';

export type TrainerKind = 'TFJS' | 'REKOGNITION' | 'EXTERNAL';
export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const FINISHED_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface RunRecord {
  id: string;
  /** Insertion order: the stable newest-first order of Query.runs. */
  seq: string;
  name: string;
  trainer: TrainerKind;
  status: RunStatus;
  datasetId: string | null;
  config: Record<string, unknown>;
  tags: string[];
  error: string | null;
  workerId: string | null;
  engine: string | null;
  gpuName: string | null;
  /** What the trainer reported when done (cost, model ids, ...); null until then. */
  outputs: Record<string, unknown> | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export const RunEntity = new EntitySchema<RunRecord>({
  name: 'Run',
  tableName: 'runs',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    seq: { type: 'bigint', generated: 'increment', unique: true },
    name: { type: 'text' },
    trainer: { type: 'text' },
    status: { type: 'text' },
    datasetId: { name: 'dataset_id', type: 'uuid', nullable: true },
    config: { type: 'jsonb', default: {} },
    tags: { type: 'text', array: true, default: [] },
    error: { type: 'text', nullable: true },
    workerId: { name: 'worker_id', type: 'text', nullable: true },
    engine: { type: 'text', nullable: true },
    gpuName: { name: 'gpu_name', type: 'text', nullable: true },
    outputs: { type: 'jsonb', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    startedAt: { name: 'started_at', type: 'timestamptz', nullable: true },
    finishedAt: { name: 'finished_at', type: 'timestamptz', nullable: true },
  },
});

/** A trainer's line of progress about a run (see RunService.note). */
export interface RunNoteRecord {
  id: string;
  runId: string;
  message: string;
  time: Date;
}

export const RunNoteEntity = new EntitySchema<RunNoteRecord>({
  name: 'RunNote',
  tableName: 'run_notes',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    runId: { name: 'run_id', type: 'uuid' },
    message: { type: 'text' },
    time: { type: 'timestamptz', createDate: true },
  },
});
