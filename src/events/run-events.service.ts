import type { DataSource } from 'typeorm';
import { badInput } from '../graphql/errors.js';
import type { Envelope, PubSub } from '../pubsub/pubsub.js';
import { Snapshot } from '../pubsub/snapshot.js';
import type { MetricRepository } from '../metrics/metric.repository.js';
import type { RunService } from '../runs/run.service.js';
import { AsyncQueue } from './async-queue.js';
import { toRunEvents, type RunEvent, type RunMessage } from './run-event.js';
import { RUN_STATUS_TOPIC, runTopic } from './topics.js';

/** Backlog points travel in pages of this many per MetricsLogged event. */
const BACKLOG_PAGE = 5_000;
const SUBSCRIBER_BUFFER = 10_000;

/**
 * runEvents: listen first, then read the backlog in one snapshot, then stream
 * live events, dropping those whose transaction that snapshot already saw. A
 * live event is in the backlog exactly when its transaction committed before
 * the snapshot, so nothing is missed and nothing is sent twice.
 */
export class RunEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: PubSub,
    private readonly runs: RunService,
    private readonly metrics: MetricRepository,
  ) {}

  async *runEvents(runId: string, afterStep: number | null | undefined): AsyncGenerator<RunEvent> {
    if (afterStep != null && afterStep < -1) throw badInput(`afterStep must be >= 0; got ${afterStep}`);
    await this.runs.require(runId);
    const live = new AsyncQueue<Envelope>(SUBSCRIBER_BUFFER);
    const unsubscribe = this.pubsub.subscribe(runTopic(runId), (envelope) => live.push(envelope));
    // Events published while the listener was disconnected are gone: end the
    // stream so the client resubscribes with afterStep and reads them back.
    const unsubscribeResync = this.pubsub.onResync(() => live.fail(new Error('the event stream was interrupted; resubscribe with afterStep to catch up')));
    try {
      let snapshot: Snapshot | null = null;
      if (afterStep != null) {
        const backlog = await this.readBacklog(runId, afterStep);
        snapshot = backlog.snapshot;
        yield* backlog.events;
      }
      for await (const envelope of live) {
        if (snapshot?.sees(envelope.xid)) continue;
        yield* toRunEvents(envelope.body as RunMessage);
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

  /** The run's status, its epochs and its points after `afterStep`, all as of one snapshot. */
  private async readBacklog(runId: string, afterStep: number): Promise<{ snapshot: Snapshot; events: RunEvent[] }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const [{ snapshot }] = await runner.query(`/* backlogSnapshot */ SELECT pg_current_snapshot()::text AS snapshot`);
      const run = await this.runs.require(runId, runner);
      const events: RunEvent[] = [{ __typename: 'StatusChanged', runId, status: run.status, error: run.error }];
      for (const epoch of await this.metrics.epochsOfRuns([runId], runner)) events.push({ __typename: 'EpochCompleted', runId, epoch });
      const keys = await this.metrics.metricKeysOfRuns([runId], afterStep, runner);
      for (const { key } of keys) {
        let after = afterStep;
        for (;;) {
          const points = await this.metrics.points(runId, key, after, BACKLOG_PAGE, runner);
          if (points.length === 0) break;
          events.push({ __typename: 'MetricsLogged', runId, key, points });
          after = points[points.length - 1].step;
          if (points.length < BACKLOG_PAGE) break;
        }
      }
      await runner.commitTransaction();
      return { snapshot: Snapshot.parse(snapshot), events };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
