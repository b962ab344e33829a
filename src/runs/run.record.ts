import type { RunStatus, TrainerKind } from '../kernel/run-event.js';

export { FINISHED_STATUSES, type RunStatus, type TrainerKind } from '../kernel/run-event.js';

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
  /** The study that planned it, and the position of its arm there; null for a run of its own. */
  studyId: string | null;
  studyArm: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The run's last event-log position when this row was read ('0': none); Run.eventCursor. */
  eventSeq: string;
  /** EXTERNAL runs: seconds without a report before the run fails (0: never); null for trained runs. */
  timeoutSeconds: number | null;
  /** When the run last reported (an event or a heartbeat; its creation at first). */
  reportedAt: Date;
  projectId: string;
  /** Key/value tags (MLflow's); `tags` are the plain labels. */
  tagValues: Record<string, string>;
}

export interface RunParamRecord {
  runId: string;
  key: string;
  value: string;
}

/** A trainer's line of progress about a run (see RunService.note). */
export interface RunNoteRecord {
  id: string;
  runId: string;
  message: string;
  time: Date;
}
