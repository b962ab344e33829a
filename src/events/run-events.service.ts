import type { SqlRunner } from '../kernel/sql.js';
import { badInput, EpochalError } from '../kernel/errors.js';
import type { Envelope, PubSub } from '../kernel/pubsub.js';
import type { MetricService } from '../metrics/metric.service.js';
import type { RunService } from '../runs/run.service.js';
import { AsyncQueue } from '../kernel/async-queue.js';
import { afterStepCursor, eventCursor, parseEventCursor, toRunEvents, type RunEvent, type RunMessage } from '../kernel/run-event.js';
import { RUN_STATUS_TOPIC, runTopic } from '../kernel/topics.js';

/** Backlog points travel in pages of this many per MetricsLogged event. */
const BACKLOG_PAGE = 5_000;
/** Logged messages read per query when replaying (each at most one 10,000-point batch). */
const LOG_PAGE = 16;
const SUBSCRIBER_BUFFER = 10_000;

const RESYNC = Symbol('resync');

/** Where a subscription stands in its run's log: everything up to message `seq`, event `index`, was sent. */
interface Delivered {
  seq: bigint;
  /** Infinity: all of message `seq`. */
  index: number;
}

/**
 * runEvents. Every message about a run is logged in the run's commit order
 * (PubSub.publishRunEvent gives it a dense position, `seq`), so a subscription
 * always knows exactly what it has sent: up to some position. It listens
 * first, then sends what the log (or, with afterStep, the store) holds after
 * its starting point, then live events, dropping those at or before what it
 * already sent. A live event further ahead than the next position (a lost
 * notification) and a reconnected listener both make it read the missing
 * messages from the log. Hence `after: cursor` resumes with no gap and no
 * duplicate whatever order writers commit in.
 */
export class RunEventsService {
  constructor(
    private readonly pubsub: PubSub,
    private readonly runs: RunService,
    private readonly metrics: MetricService,
  ) {}

  async *runEvents(runId: string, afterStep: number | null | undefined, after?: string | null): AsyncGenerator<RunEvent> {
    if (afterStep != null && after != null) throw badInput('give one of afterStep and after, not both');
    const position = after != null ? parseEventCursor(after) : null;
    if (after != null && !position) throw badInput(`after: "${after.slice(0, 40)}" is not a cursor of runEvents; pass an event's cursor (or Run.eventCursor) back unchanged`);
    const fromStep = position && 'afterStep' in position ? position.afterStep : afterStep;
    if (fromStep != null && fromStep < -1) throw badInput(`afterStep must be >= 0; got ${fromStep}`);
    // Listen first; the run itself is read (NOT_FOUND when missing) before anything is sent.
    const live = new AsyncQueue<Envelope | typeof RESYNC>(SUBSCRIBER_BUFFER);
    const unsubscribe = this.pubsub.subscribe(runTopic(runId), (envelope) => live.push(envelope));
    const unsubscribeResync = this.pubsub.onResync(() => live.push(RESYNC));
    try {
      let delivered: Delivered;
      if (position && 'seq' in position) {
        const head = await this.pubsub.runLogHead((await this.runs.require(runId)).id);
        if (position.seq > BigInt(head)) throw badInput(`after: "${after}" is past run ${runId}'s last event; pass a cursor of this run's events back unchanged`);
        delivered = { ...position };
        yield* this.replay(runId, delivered);
      } else if (fromStep != null) {
        const backlog = await this.pubsub.readInSnapshot((runner) => this.readBacklog(runId, fromStep, runner));
        delivered = { seq: BigInt(backlog.value.head), index: Infinity };
        yield* backlog.value.events;
      } else {
        // Live only: a notification of a write that committed before we began may still be on its way; its position tells.
        const head = await this.pubsub.readInSnapshot(async (runner) => this.pubsub.runLogHead((await this.runs.require(runId, runner)).id, runner));
        delivered = { seq: BigInt(head.value), index: Infinity };
      }
      for await (const item of live) {
        if (item === RESYNC) {
          yield* this.replay(runId, delivered);
          continue;
        }
        if (item.seq === undefined) continue;
        const seq = BigInt(item.seq);
        if (seq < delivered.seq || (seq === delivered.seq && delivered.index === Infinity)) continue;
        if (seq !== delivered.seq + 1n || delivered.index !== Infinity) {
          // A gap (a notification lost in transit) or the rest of a message begun: the log has them.
          yield* this.replay(runId, delivered);
          continue;
        }
        delivered.seq = seq;
        yield* toRunEvents(item.body as RunMessage, item.seq);
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

  /** Sends what the run's log holds after `delivered`, moving it along. */
  private async *replay(runId: string, delivered: Delivered): AsyncGenerator<RunEvent> {
    for (;;) {
      const fromSeq = delivered.index === Infinity ? delivered.seq : delivered.seq - 1n;
      const page = await this.pubsub.readRunLog(runId, fromSeq.toString(), LOG_PAGE).catch(() => {
        throw new EpochalError('SERVICE_UNAVAILABLE', 'the event stream was interrupted and could not be resumed; resubscribe with after: the last cursor received', { retryable: true });
      });
      for (const row of page) {
        const events = toRunEvents(row.body as RunMessage, row.seq);
        const seq = BigInt(row.seq);
        const skip = seq === delivered.seq ? delivered.index + 1 : 0;
        delivered.seq = seq;
        delivered.index = Infinity;
        yield* events.slice(skip);
      }
      if (page.length < LOG_PAGE) return;
    }
  }

  /**
   * afterStep's backlog, as of one snapshot: the run's epochs and notes, its
   * points after that step, then its status; with the log position that
   * snapshot saw, from which live events carry on. Its events carry
   * `s<afterStep>` (a resume repeats this backlog) and its last one that
   * position. The status comes last, as in the run's own history: a run that
   * finished before the subscription began ends its backlog with its final
   * status, so a client that stops there (watchRun does) has everything.
   */
  private async readBacklog(runId: string, afterStep: number, runner: SqlRunner): Promise<{ head: string; events: RunEvent[] }> {
    const run = await this.runs.require(runId, runner);
    const head = await this.pubsub.runLogHead(run.id, runner);
    const events: RunEvent[] = [];
    for (const epoch of await this.metrics.epochsOfRuns([runId], runner)) events.push({ __typename: 'EpochCompleted', runId, epoch });
    for (const note of await this.runs.notesOfRuns([runId], runner)) events.push({ __typename: 'RunNote', ...note });
    for (const { key } of await this.metrics.metricKeysOfRuns([runId], runner)) {
      let after = afterStep;
      for (;;) {
        const points = await this.metrics.pointsAfter(runId, key, after, BACKLOG_PAGE, runner);
        if (points.length === 0) break;
        events.push({ __typename: 'MetricsLogged', runId, key, points });
        after = points[points.length - 1].step;
        if (points.length < BACKLOG_PAGE) break;
      }
    }
    events.push({ __typename: 'StatusChanged', runId, status: run.status, error: run.error });
    const resume = afterStepCursor(afterStep);
    return { head, events: events.map((event, i) => ({ ...event, cursor: i === events.length - 1 ? eventCursor(head) : resume })) };
  }
}
