/** Epochs and points are part of the run-event vocabulary, so they are defined in the kernel. */
export type { EpochRecord, MetricPointRecord } from '../kernel/run-event.js';

/** A metric key's summary over one run (see metric-summary.sql.ts). */
export interface MetricSummaryRecord {
  runId: string;
  key: string;
  last: number;
  lastStep: number;
  lastTime: Date;
  min: number;
  max: number;
  count: number;
}
