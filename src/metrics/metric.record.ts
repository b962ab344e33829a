/** Epochs and points are part of the run-event vocabulary, so they are defined in the kernel. */
export type { EpochRecord, MetricPointRecord } from '../kernel/run-event.js';
