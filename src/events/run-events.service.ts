import type { SqlRunner } from '../kernel/sql.js';
import { badInput, EpochalError } from '../kernel/errors.js';
import type { Envelope, PubSub } from '../kernel/pubsub.js';
import type { Snapshot } from '../kernel/snapshot.js';
import type { MetricService } from '../metrics/metric.service.js';
import type { RunService } from '../runs/run.service.js';
import { AsyncQueue } from '../kernel/async-queue.js';
import { toRunEvents, type RunEvent, type RunMessage } from '../kernel/run-event.js';
import { RUN_STATUS_TOPIC, runTopic } from '../kernel/topics.js';

/** Backlog points travel in pages of this many per MetricsLogged event. */
const BACKLOG_PAGE = 5_000;
const SUBSCRIBER_BUFFER = 10_000;

/**
 * What a subscription has delivered so far: where to resume after an
 * interruption. Live events are never filtered by step (two writers may
 * interleave steps); only a resync reads from these marks.
 */
class Delivered {
  private readonly lastStep = new Map<string, number>();
  private readonly epochs = new Set<string>();
  private readonly notes = new Set<string>();
  status: string | null = null;

  /**
   * With afterStep, unseen keys resume after it. Live only (no afterStep), they
   * resume after the step each key had reached when the subscription began
   * (`startSteps`), and keys that did not exist yet from the start.
   */
  constructor(private readonly afterStep: number | null, private readonly startSteps = new Map<string, number>()) {}

  /** Resume `key` after this step. */
  after(key: string): number {
    return this.lastStep.get(key) ?? this.afterStep ?? this.startSteps.get(key) ?? -1;
  }

  note(events: RunEvent[]): RunEvent[] {
    for (const event of events) {
      if (event.__typename === 'MetricsLogged') {
        const last = event.points.at(-1)?.step ?? -1;
        if (last > (this.lastStep.get(event.key) ?? -1)) this.lastStep.set(event.key, last);
      } else if (event.__typename === 'EpochCompleted') {
        this.epochs.add(`${event.epoch.phase}\u0000${event.epoch.index}`);
      } else if (event.__typename === 'StatusChanged') {
        this.status = event.status;
      } else {
        this.notes.add(event.id);
      }
    }
    return events;
  }

  seenEpoch(phase: string, index: number): boolean {
    return this.epochs.has(`${phase}\u0000${index}`);
  }

  seenNote(id: string): boolean {
    return this.notes.has(id);
  }
}

const RESYNC = Symbol('resync');

/**
 * runEvents: listen first, then read the backlog in one snapshot, then stream
 * live events, dropping those whose transaction that snapshot already saw. A
 * live event is in the backlog exactly when its transaction committed before
 * the snapshot, so nothing is missed and nothing is sent twice.
 *
 * If the LISTEN connection drops (a database restart), events of the gap are
 * lost in transit: the subscription then reads again, in a new snapshot,
 * everything after what it delivered, and carries on.
 */
export class RunEventsService {
  constructor(
    private readonly pubsub: PubSub,
    private readonly runs: RunService,
    private readonly metrics: MetricService,
  ) {}

  async *runEvents(runId: string, afterStep: number | null | undefined): AsyncGenerator<RunEvent> {
    if (afterStep != null && afterStep < -1) throw badInput(`afterStep must be >= 0; got ${afterStep}`);
    // Listen first; the run itself is read (NOT_FOUND when missing) in the snapshot below.
    const live = new AsyncQueue<Envelope | typeof RESYNC>(SUBSCRIBER_BUFFER);
    const unsubscribe = this.pubsub.subscribe(runTopic(runId), (envelope) => live.push(envelope));
    const unsubscribeResync = this.pubsub.onResync(() => live.push(RESYNC));
    try {
      let snapshot: Snapshot;
      let delivered: Delivered;
      if (afterStep != null) {
        delivered = new Delivered(afterStep);
        const backlog = await this.readBacklog(runId, delivered);
        snapshot = backlog.snapshot;
        yield* delivered.note(backlog.events);
      } else {
        // Live only: nothing is sent from the store, but a NOTIFY of a write that
        // committed before we began may still be on its way; the start snapshot drops it.
        const start = await this.pubsub.readInSnapshot((runner) => this.liveStart(runId, runner));
        snapshot = start.snapshot;
        delivered = new Delivered(null, start.value.lastSteps);
        delivered.status = start.value.status;
      }
      for await (const item of live) {
        if (item === RESYNC) {
          const backlog = await this.readBacklog(runId, delivered).catch(() => {
            throw new EpochalError('SERVICE_UNAVAILABLE', 'the event stream was interrupted and could not be resumed; resubscribe with afterStep', { retryable: true });
          });
          snapshot = backlog.snapshot;
          yield* delivered.note(backlog.events);
          continue;
        }
        if (snapshot.sees(item.xid)) continue;
        yield* delivered.note(toRunEvents(item.body as RunMessage));
      }
    } finally {
      unsubscribe();
      unsubscribeResync();
      live.close();
    }
  }

  async *statusChanges(): AsyncGenerator<RunEvent> {
    const live = new AsyncQueue<Envelope>(SUBSCRIBER_BUFFER);
    const unsubscribe = this.pubsub.subscribe(RUN_STATUS_TOPIC, (envelope) => live.push(envelope));
    try {
      for await (const envelope of live) yield* toRunEvents(envelope.body as RunMessage);
    } finally {
      unsubscribe();
      live.close();
    }
  }

  /** Where a live-only subscription starts: the run's status and each key's last step. */
  private async liveStart(runId: string, runner: SqlRunner): Promise<{ status: string; lastSteps: Map<string, number> }> {
    const run = await this.runs.require(runId, runner);
    const lastSteps = new Map((await this.metrics.lastStepByKey(runId, runner)).map((r) => [r.key, r.step]));
    return { status: run.status, lastSteps };
  }

  /** The run's status, its epochs and its points not yet delivered, all as of one snapshot. */
  private async readBacklog(runId: string, delivered: Delivered): Promise<{ snapshot: Snapshot; events: RunEvent[] }> {
    const { snapshot, value: events } = await this.pubsub.readInSnapshot(async (runner) => {
      const run = await this.runs.require(runId, runner);
      const events: RunEvent[] = [];
      if (delivered.status !== run.status) events.push({ __typename: 'StatusChanged', runId, status: run.status, error: run.error });
      for (const epoch of await this.metrics.epochsOfRuns([runId], runner)) {
        if (!delivered.seenEpoch(epoch.phase, epoch.index)) events.push({ __typename: 'EpochCompleted', runId, epoch });
      }
      for (const note of await this.runs.notesOfRuns([runId], runner)) {
        if (!delivered.seenNote(note.id)) events.push({ __typename: 'RunNote', ...note });
      }
      for (const { key } of await this.metrics.metricKeysOfRuns([runId], runner)) {
        let after = delivered.after(key);
        for (;;) {
          const points = await this.metrics.pointsAfter(runId, key, after, BACKLOG_PAGE, runner);
          if (points.length === 0) break;
          events.push({ __typename: 'MetricsLogged', runId, key, points });
          after = points[points.length - 1].step;
          if (points.length < BACKLOG_PAGE) break;
        }
      }
      return events;
    });
    return { snapshot, events };
  }

}
