import type { MetricPointInput } from '../../metrics/metric.service.js';

export interface MetricBufferOptions {
  /** Writes one batch (MetricService.logMetrics). */
  write(points: MetricPointInput[]): Promise<unknown>;
  /** Flush once this many points wait. */
  flushEvery: number;
  /** ...or once the oldest waiting point is this old, so a slow run's curve still moves. */
  maxDelayMs?: number;
}

/**
 * Batches metric points so a run that logs every batch does not write (and
 * notify subscribers) once per batch. Callers flush at each epoch and at the end.
 */
export class MetricBuffer {
  private pending: MetricPointInput[] = [];
  private oldestAt = 0;

  constructor(private readonly options: MetricBufferOptions) {
    if (!Number.isInteger(options.flushEvery) || options.flushEvery < 1) throw new Error(`flushEvery must be a positive integer, got ${options.flushEvery}`);
  }

  get size(): number {
    return this.pending.length;
  }

  async add(key: string, step: number, value: number): Promise<void> {
    if (this.pending.length === 0) this.oldestAt = Date.now();
    this.pending.push({ key, step, value, time: new Date() });
    const waited = Date.now() - this.oldestAt;
    if (this.pending.length >= this.options.flushEvery || waited >= (this.options.maxDelayMs ?? Infinity)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    await this.options.write(points);
  }
}
