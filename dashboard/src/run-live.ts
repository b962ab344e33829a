import { live, request, type ApiError, type LiveState } from './api';
import { METRIC_QUERY, RUN_EVENTS_SUBSCRIPTION, type Epoch, type MetricSeries, type RunDetail, type RunEvent, type RunNote, type RunStatus } from './queries';

/** Points per series on first load: the server downsamples longer series (keeping spikes). */
export const INITIAL_MAX_POINTS = 2_000;
/** Points fetched per key to fill a resume gap (the server's maximum). */
const GAP_FILL_MAX_POINTS = 100_000;

export interface RunLiveListener {
  onEpochs(epochs: Epoch[]): void;
  onMetric(key: string): void;
  onStatus(status: RunStatus, error: string | null): void;
  /** Every note so far, oldest first; called when one is new (not for a resume's resend). */
  onNotes(notes: RunNote[]): void;
  onConnection(state: LiveState, error?: ApiError): void;
}

/**
 * A run's epochs and metric series, kept current from `runEvents`.
 *
 * Resuming without a gap: `afterStep` is one step for every key, while keys
 * advance at different rates (batch_loss by batch, learning_rate by epoch).
 * We resume from the furthest step any key reached, so no series is resent
 * in full, and once the subscription's backlog has begun (the server took its
 * snapshot before sending it) each key that lagged behind is read over HTTP
 * from its own last step: anything written before that read is in it, anything
 * after arrives live. Points are kept by step, so an overlap is harmless.
 * Epochs and notes are sent again on every resume: they are kept by key and id.
 */
export class RunLiveData {
  readonly series = new Map<string, Map<number, number>>();
  /** Keys whose first load was downsampled: their totals come from the server. */
  readonly totals = new Map<string, { totalPoints: number; downsampled: boolean }>();
  private readonly epochs = new Map<string, Epoch>();
  private readonly notes = new Map<string, RunNote>();
  private readonly lastStep = new Map<string, number>();
  private stop: (() => void) | null = null;

  constructor(
    private readonly runId: string,
    private readonly listener: RunLiveListener,
  ) {}

  /** Loads the first view of each key (downsampled on the server), then goes live. */
  async start({ epochs, notes, metricKeys }: Pick<RunDetail, 'epochs' | 'notes' | 'metricKeys'>): Promise<void> {
    this.mergeEpochs(epochs);
    this.mergeNotes(notes);
    await Promise.all(metricKeys.map(async (key) => {
      const series = await this.fetchSeries(key, INITIAL_MAX_POINTS, null);
      this.totals.set(key, { totalPoints: series.totalPoints, downsampled: series.downsampled });
      this.mergePoints(key, series.points);
    }));
    for (const key of metricKeys) this.listener.onMetric(key);
    this.subscribe();
  }

  private subscribe(): void {
    let fillPending = false;
    let lagging: [string, number][] = [];
    let resumeFrom = -1;
    this.stop = live({
      query: RUN_EVENTS_SUBSCRIPTION,
      variables: () => {
        resumeFrom = Math.max(-1, ...this.lastStep.values());
        lagging = [...this.lastStep].filter(([, step]) => step < resumeFrom);
        fillPending = true;
        return { runId: this.runId, afterStep: resumeFrom };
      },
      onData: ({ runEvents: event }) => {
        if (fillPending) {
          fillPending = false;
          void this.fillGaps(lagging);
        }
        this.apply(event);
      },
      onState: (state, error) => this.listener.onConnection(state, error),
    });
  }

  private async fillGaps(lagging: [string, number][]): Promise<void> {
    await Promise.all(lagging.map(async ([key, after]) => {
      try {
        const series = await this.fetchSeries(key, GAP_FILL_MAX_POINTS, after);
        this.mergePoints(key, series.points);
        this.listener.onMetric(key);
      } catch (error) {
        this.listener.onConnection('reconnecting', error as ApiError);
      }
    }));
  }

  private async fetchSeries(key: string, maxPoints: number, afterStep: number | null): Promise<MetricSeries> {
    const data = await request(METRIC_QUERY, { id: this.runId, key, maxPoints, afterStep });
    return data.run?.metric ?? { key, totalPoints: 0, downsampled: false, points: [] };
  }

  private apply(event: RunEvent): void {
    switch (event.__typename) {
      case 'MetricsLogged': {
        const before = this.series.get(event.key)?.size ?? 0;
        this.mergePoints(event.key, event.points);
        const total = this.totals.get(event.key);
        if (total) total.totalPoints += (this.series.get(event.key)?.size ?? 0) - before;
        this.listener.onMetric(event.key);
        break;
      }
      case 'EpochCompleted':
        this.mergeEpochs([event.epoch]);
        break;
      case 'StatusChanged':
        this.listener.onStatus(event.status, event.error);
        break;
      case 'RunNote':
        this.mergeNotes([event]);
        break;
    }
  }

  private mergePoints(key: string, points: { step: number; value: number }[]): void {
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = new Map()));
    let last = this.lastStep.get(key) ?? -1;
    for (const point of points) {
      series.set(point.step, point.value);
      if (point.step > last) last = point.step;
    }
    this.lastStep.set(key, last);
  }

  private mergeEpochs(epochs: Epoch[]): void {
    for (const epoch of epochs) this.epochs.set(`${epoch.phase}\u0000${epoch.index}`, epoch);
    this.listener.onEpochs(this.orderedEpochs());
  }

  private mergeNotes(notes: RunNote[]): void {
    const fresh = notes.filter((note) => !this.notes.has(note.id));
    if (!fresh.length) return;
    for (const { id, message, time } of fresh) this.notes.set(id, { id, message, time });
    // Ids are ascending integers: a longer one is later.
    this.listener.onNotes([...this.notes.values()].sort((a, b) => a.time.localeCompare(b.time) || a.id.length - b.id.length || a.id.localeCompare(b.id)));
  }

  /** By phase in the order phases first appeared, then index (as the API orders them). */
  orderedEpochs(): Epoch[] {
    const phaseOrder = new Map<string, number>();
    const all = [...this.epochs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const epoch of all) if (!phaseOrder.has(epoch.phase)) phaseOrder.set(epoch.phase, phaseOrder.size);
    return all.sort((a, b) => phaseOrder.get(a.phase)! - phaseOrder.get(b.phase)! || a.index - b.index);
  }

  /** A key's points in step order, for the chart. */
  points(key: string): [number[], number[]] {
    const entries = [...(this.series.get(key) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    return [entries.map((e) => e[0]), entries.map((e) => e[1])];
  }

  close(): void {
    this.stop?.();
    this.stop = null;
  }
}
