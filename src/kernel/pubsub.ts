import type { Snapshot } from './snapshot.js';
import type { SqlRunner } from './sql.js';

/** A message as subscribers receive it. */
export interface Envelope<T = unknown> {
  topic: string;
  /** The id (xid8, decimal) of the transaction that published it: see snapshot.ts. */
  xid: string;
  /** Its position in its run's event log (publishRunEvent); absent for other topics. */
  seq?: string;
  body: T;
}

/** One message of a run's event log. */
export interface LoggedRunEvent {
  seq: string;
  body: unknown;
}

export type Unsubscribe = () => void;

/**
 * Events between processes. `publish` runs inside the writer's transaction, so
 * a message exists if and only if the data it describes was committed.
 */
export interface PubSub {
  publish(tx: SqlRunner, topic: string, body: unknown): Promise<void>;
  /**
   * Publishes on runTopic(runId) and appends the message to the run's event
   * log, which gives it the next position (`seq`, 1, 2, ...) in the run's
   * commit order: the writer holds the run's log head from then until it
   * commits, so positions are dense and a later one never commits first. Call
   * it as the transaction's last statement: writers of one run wait for each
   * other from here to their commit.
   */
  publishRunEvent(tx: SqlRunner, runId: string, body: unknown): Promise<void>;
  /** The run's logged messages after position `afterSeq`, in order, at most `limit`. */
  readRunLog(runId: string, afterSeq: string, limit: number, runner?: SqlRunner): Promise<LoggedRunEvent[]>;
  /** The run's last logged position ('0': none yet) as `runner`'s snapshot sees it. */
  runLogHead(runId: string, runner?: SqlRunner): Promise<string>;
  subscribe(topic: string, handler: (envelope: Envelope) => void): Unsubscribe;
  /**
   * Called after the connection that receives events was lost and restored:
   * anything published in between was missed, and subscribers should re-read.
   */
  onResync(handler: () => void): Unsubscribe;
  /**
   * Runs `read` in one REPEATABLE READ transaction and returns what it read with
   * that transaction's snapshot: a message whose `xid` the snapshot sees
   * describes data `read` already saw (see snapshot.ts).
   */
  readInSnapshot<T>(read: (runner: SqlRunner) => Promise<T>): Promise<{ snapshot: Snapshot; value: T }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
