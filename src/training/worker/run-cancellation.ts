import type { PubSub, Unsubscribe } from '../../kernel/pubsub.js';
import { runTopic } from '../../kernel/topics.js';
import type { RunStatus } from '../../runs/run.record.js';

/** How often, at most, isCancelled() re-reads the status when no event arrived. */
export const STATUS_RECHECK_MS = 2_000;

/**
 * Answers "should this run stop?" cheaply, before every batch. The run's status
 * events arrive over LISTEN/NOTIFY within milliseconds; as a fallback (a missed
 * notification, a reconnect) the status is re-read from the database at most
 * every STATUS_RECHECK_MS. Anything but RUNNING stops the run: CANCELLED by a
 * user, FAILED by a sweeper that thought this worker lost, or `abort()` here.
 */
export class RunCancellation {
  private readonly controller = new AbortController();
  private readonly unsubscribe: Unsubscribe[] = [];
  private lastCheckedAt = Date.now();
  private checking: Promise<boolean> | null = null;
  private reason: string | null = null;

  constructor(
    private readonly runId: string,
    pubsub: Pick<PubSub, 'subscribe' | 'onResync'>,
    private readonly readStatus: () => Promise<RunStatus | null>,
    private readonly recheckMs = STATUS_RECHECK_MS,
  ) {
    this.unsubscribe.push(
      pubsub.subscribe(runTopic(runId), (envelope) => {
        const status = statusOf(envelope.body);
        if (status && status !== 'RUNNING') this.abort(`the run became ${status}`);
      }),
      // Events were missed while the listener reconnected: re-read on the next check.
      pubsub.onResync(() => {
        this.lastCheckedAt = 0;
      }),
    );
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why it stopped, once it has. */
  get stopReason(): string | null {
    return this.reason;
  }

  abort(reason: string): void {
    if (this.controller.signal.aborted) return;
    this.reason = reason;
    this.controller.abort(new Error(reason));
  }

  isCancelled(): boolean | Promise<boolean> {
    if (this.controller.signal.aborted) return true;
    if (Date.now() - this.lastCheckedAt < this.recheckMs) return false;
    return (this.checking ??= this.recheck().finally(() => {
      this.checking = null;
    }));
  }

  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private async recheck(): Promise<boolean> {
    this.lastCheckedAt = Date.now();
    // A failed read is not a cancellation: the next check (or the next write) tells.
    const status = await this.readStatus().catch((): RunStatus => 'RUNNING');
    if (status !== 'RUNNING') this.abort(status ? `the run became ${status}` : 'the run was deleted');
    return this.controller.signal.aborted;
  }
}

/** The status of a StatusChanged message; NOTIFY payloads are checked, not trusted. */
function statusOf(body: unknown): RunStatus | null {
  if (typeof body !== 'object' || body === null) return null;
  const message = body as { type?: unknown; status?: unknown };
  if (message.type !== 'status' || typeof message.status !== 'string') return null;
  return message.status as RunStatus;
}
