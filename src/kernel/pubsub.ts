import type { Snapshot } from './snapshot.js';
import type { SqlRunner } from './sql.js';

/** A message as subscribers receive it. */
export interface Envelope<T = unknown> {
  topic: string;
  /** The id (xid8, decimal) of the transaction that published it: see snapshot.ts. */
  xid: string;
  body: T;
}

export type Unsubscribe = () => void;

/**
 * Events between processes. `publish` runs inside the writer's transaction, so
 * a message exists if and only if the data it describes was committed.
 */
export interface PubSub {
  publish(tx: SqlRunner, topic: string, body: unknown): Promise<void>;
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
