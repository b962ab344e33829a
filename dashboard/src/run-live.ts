import { live, request, type ApiError, type LiveState } from './api';
import { METRIC_QUERY, RUN_EVENTS_SUBSCRIPTION, type Epoch, type MetricSeries, type RunDetail, type RunEvent, type RunNote, type RunStatus } from './queries';

/** Points per series on first load: the server downsamples longer series (keeping spikes). */
export const INITIAL_MAX_POINTS = 2_000;

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
 * Resuming exactly: the run was read with its `eventCursor` (before its other
 * fields), so subscribing with `after` that cursor sends everything that
 * happened since the page loaded, and every event carries its own cursor: a
 * dropped subscription resumes after the last one received, with no gap and
 * no duplicate however many writers log into the run. What the page loaded
 * after reading the cursor (the series) may overlap the first events: points
 * are kept by step, epochs by key and notes by id, so an overlap is harmless.
 */
export class RunLiveData {
  readonly series = new Map<string, Map<number, number>>();
  /** Keys whose first load was downsampled: their totals come from the server. */
  readonly totals = new Map<string, { totalPoints: number; downsampled: boolean }>();
  private readonly epochs = new Map<string, Epoch>();
  private readonly notes = new Map<string, RunNote>();
  private cursor = '0';
  private stop: (() => void) | null = null;

  constructor(
    private readonly runId: string,
    private readonly listener: RunLiveListener,
  ) {}

  /** Loads the first view of each key (downsampled on the server), then goes live from the run's cursor. */
  async start({ eventCursor, epochs, notes, metricKeys }: Pick<RunDetail, 'eventCursor' | 'epochs' | 'notes' | 'metricKeys'>): Promise<void> {
    this.cursor = eventCursor;
    this.mergeEpochs(epochs);
    this.mergeNotes(notes);
    await Promise.all(metricKeys.map(async (key) => {
      const series = await this.fetchSeries(key, INITIAL_MAX_POINTS);
      this.totals.set(key, { totalPoints: series.totalPoints, downsampled: series.downsampled });
      this.mergePoints(key, series.points);
    }));
    for (const key of metricKeys) this.listener.onMetric(key);
    this.subscribe();
  }

  private subscribe(): void {
    this.stop = live({
      query: RUN_EVENTS_SUBSCRIPTION,
      variables: () => ({ runId: this.runId, after: this.cursor }),
      onData: ({ runEvents: event }) => {
        this.apply(event);
        const cursor = 'cursor' in event ? event.cursor : 'statusCursor' in event ? event.statusCursor : 'noteCursor' in event ? event.noteCursor : null;
        if (cursor) this.cursor = cursor;
      },
      onState: (state, error) => this.listener.onConnection(state, error),
    });
  }

  private async fetchSeries(key: string, maxPoints: number): Promise<MetricSeries> {
    const data = await request(METRIC_QUERY, { id: this.runId, key, maxPoints, afterStep: null });
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
    for (const point of points) series.set(point.step, point.value);
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
