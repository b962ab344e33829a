import type { MetricSeriesInput } from '../../metrics/metric.service.js';

export interface MetricBufferOptions {
  /** Writes one batch, one series per key (MetricService.logMetricSeries). */
  write(series: MetricSeriesInput[]): Promise<unknown>;
  /** Flush once this many points wait. */
  flushEvery: number;
  /** ...or once the oldest waiting point is this old, so a slow run's curve still moves. */
  maxDelayMs?: number;
}

type Pending = { key: string; steps: number[]; values: number[]; times: Date[] };

/**
 * Batches metric points so a run that logs every batch does not write (and
 * notify subscribers) once per batch. Points gather by key in columns, the
 * form logMetricSeries stores without making an object per point. Callers
 * flush at each epoch and at the end.
 */
export class MetricBuffer {
  private pending = new Map<string, Pending>();
  private count = 0;
  private oldestAt = 0;

  constructor(private readonly options: MetricBufferOptions) {
    if (!Number.isInteger(options.flushEvery) || options.flushEvery < 1) throw new Error(`flushEvery must be a positive integer, got ${options.flushEvery}`);
  }

  get size(): number {
    return this.count;
  }

  async add(key: string, step: number, value: number): Promise<void> {
    if (this.count === 0) this.oldestAt = Date.now();
    let series = this.pending.get(key);
    if (!series) this.pending.set(key, (series = { key, steps: [], values: [], times: [] }));
    series.steps.push(step);
    series.values.push(value);
    series.times.push(new Date());
    this.count++;
    const waited = Date.now() - this.oldestAt;
    if (this.count >= this.options.flushEvery || waited >= (this.options.maxDelayMs ?? Infinity)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.count === 0) return;
    const series = [...this.pending.values()];
    this.pending = new Map();
    this.count = 0;
    await this.options.write(series);
  }
}
