import pg from 'pg';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { SqlRunner } from '../kernel/sql.js';
import type { Envelope, LoggedRunEvent, PubSub, Unsubscribe } from '../kernel/pubsub.js';
import { runTopic } from '../kernel/topics.js';
import { Snapshot } from '../kernel/snapshot.js';

const CHANNEL = 'epochal_events';
/** NOTIFY refuses payloads of 8000 bytes or more; keep room for the envelope. */
const INLINE_LIMIT_BYTES = 7_600;
/** Parked payloads only need to outlive delivery. */
const PAYLOAD_RETENTION = '10 minutes';

const seqSchema = z.string().regex(/^\d{1,19}$/).optional();
const notificationSchema = z.union([
  // A run event too large for NOTIFY: read back from the run's log.
  z.object({ t: z.string(), x: z.string().regex(/^\d+$/), s: z.string().regex(/^\d{1,19}$/), l: z.string().uuid() }),
  z.object({ t: z.string(), x: z.string().regex(/^\d+$/), r: z.union([z.string(), z.number()]) }),
  z.object({ t: z.string(), x: z.string().regex(/^\d+$/), s: seqSchema, b: z.unknown() }),
]);

/**
 * Takes the run's next log position (locking its head until commit), logs the
 * message and notifies: one statement. The head's reported_at is the run's
 * last report, which keeps an EXTERNAL run alive (see RunService.failSilentRuns).
 */
const publishRunEventSql = (inline: boolean) => `/* publishRunEvent */ WITH head AS (
    INSERT INTO run_event_heads AS h (run_id, last_seq) VALUES ($2, 1)
    ON CONFLICT (run_id) DO UPDATE SET last_seq = h.last_seq + 1, reported_at = now() RETURNING last_seq),
  logged AS (INSERT INTO run_events (run_id, seq, body) SELECT $2, last_seq, $4::json FROM head RETURNING seq)
  SELECT pg_notify($1, json_build_object('t', $3::text, 'x', pg_current_xact_id()::text, 's', seq::text,
    ${inline ? `'b', $4::json` : `'l', $2::text`})::text) FROM logged`;

/**
 * PubSub over PostgreSQL LISTEN/NOTIFY, so every server process on one
 * database sees every event. One LISTEN connection per process fans out to
 * local subscribers; a payload too large for NOTIFY is parked in
 * `event_payloads` and the notification carries its id, read back once per
 * process. Notifications are handled strictly in arrival (commit) order.
 */
export class PostgresPubSub implements PubSub {
  private client: pg.Client | null = null;
  private readonly handlers = new Map<string, Set<(envelope: Envelope) => void>>();
  private readonly resyncHandlers = new Set<() => void>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private cleanupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: { url: string; reader: DataSource; log: Pick<Logger, 'warn' | 'error' | 'info'> },
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.cleanupTimer = setInterval(() => void this.deleteOldPayloads(), 60_000);
    this.cleanupTimer.unref();
  }

  async readInSnapshot<T>(read: (runner: SqlRunner) => Promise<T>): Promise<{ snapshot: Snapshot; value: T }> {
    const runner = this.options.reader.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const [{ snapshot }] = await runner.query(`/* subscriptionSnapshot */ SELECT pg_current_snapshot()::text AS snapshot`);
      const value = await read(runner);
      await runner.commitTransaction();
      return { snapshot: Snapshot.parse(snapshot), value };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    await this.chain;
  }

  async publish(tx: SqlRunner, topic: string, body: unknown): Promise<void> {
    const json = JSON.stringify(body);
    if (Buffer.byteLength(json) + Buffer.byteLength(topic) < INLINE_LIMIT_BYTES) {
      await tx.query(
        `/* publishEvent */ SELECT pg_notify($1, json_build_object('t', $2::text, 'x', pg_current_xact_id()::text, 'b', $3::json)::text)`,
        [CHANNEL, topic, json],
      );
    } else {
      await tx.query(
        `/* publishParkedEvent */ WITH parked AS (INSERT INTO event_payloads (payload) VALUES ($3::json) RETURNING id)
         SELECT pg_notify($1, json_build_object('t', $2::text, 'x', pg_current_xact_id()::text, 'r', parked.id)::text) FROM parked`,
        [CHANNEL, topic, json],
      );
    }
  }

  async publishRunEvent(tx: SqlRunner, runId: string, body: unknown): Promise<void> {
    const json = JSON.stringify(body);
    const topic = runTopic(runId);
    const inline = Buffer.byteLength(json) + Buffer.byteLength(topic) < INLINE_LIMIT_BYTES;
    await tx.query(publishRunEventSql(inline), [CHANNEL, runId, topic, json]);
  }

  readRunLog(runId: string, afterSeq: string, limit: number, runner: SqlRunner = this.options.reader): Promise<LoggedRunEvent[]> {
    return runner.query(
      `/* readRunLog */ SELECT seq::text AS seq, body FROM run_events WHERE run_id = $1 AND seq > $2::bigint ORDER BY run_events.seq LIMIT $3`,
      [runId, afterSeq, limit],
    );
  }

  async runLogHead(runId: string, runner: SqlRunner = this.options.reader): Promise<string> {
    const rows = await runner.query<{ seq: string }[]>(`/* runLogHead */ SELECT last_seq::text AS seq FROM run_event_heads WHERE run_id = $1`, [runId]);
    return rows[0]?.seq ?? '0';
  }

  subscribe(topic: string, handler: (envelope: Envelope) => void): Unsubscribe {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic);
    };
  }

  onResync(handler: () => void): Unsubscribe {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }

  /** How many local subscriptions there are (metrics, tests). */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'epochal-listen' });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const payload = message.payload;
      // Serial: a parked payload's read-back must not let later events overtake it.
      this.chain = this.chain.then(() => this.deliver(payload)).catch((error) => {
        this.options.log.error({ err: error }, 'dropping an event that could not be delivered');
      });
    });
    client.on('error', (error) => {
      this.options.log.warn({ err: error }, 'event listener connection failed; reconnecting');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(failed: pg.Client, delayMs = 250): void {
    if (this.stopped || this.client !== failed || this.reconnectTimer) return;
    this.client = null;
    failed.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connect();
        this.options.log.info('event listener reconnected');
        for (const handler of this.resyncHandlers) handler();
      } catch (error) {
        this.options.log.warn({ err: error }, 'event listener still cannot connect');
        this.client = failed;
        this.scheduleReconnect(failed, Math.min(delayMs * 2, 5_000));
      }
    }, delayMs);
  }

  private async deliver(payload: string): Promise<void> {
    const parsed = notificationSchema.safeParse(JSON.parse(payload));
    if (!parsed.success) {
      this.options.log.warn({ payload: payload.slice(0, 200) }, 'ignoring a malformed event notification');
      return;
    }
    const set = this.handlers.get(parsed.data.t);
    if (!set || set.size === 0) return;
    let body: unknown;
    if ('l' in parsed.data) {
      const rows = await this.readRunLog(parsed.data.l, (BigInt(parsed.data.s) - 1n).toString(), 1);
      if (rows.length === 0 || rows[0].seq !== parsed.data.s) return;
      body = rows[0].body;
    } else if ('r' in parsed.data) {
      const rows = await this.options.reader.query<{ payload: unknown }[]>(
        `/* readParkedEvent */ SELECT payload FROM event_payloads WHERE id = $1`, [parsed.data.r]);
      if (rows.length === 0) return;
      body = rows[0].payload;
    } else {
      body = parsed.data.b;
    }
    const seq = 's' in parsed.data ? parsed.data.s : undefined;
    const envelope: Envelope = { topic: parsed.data.t, xid: parsed.data.x, ...(seq ? { seq } : {}), body };
    for (const handler of [...set]) handler(envelope);
  }

  private async deleteOldPayloads(): Promise<void> {
    try {
      await this.options.reader.query(
        `/* deleteOldEventPayloads */ DELETE FROM event_payloads WHERE created_at < now() - interval '${PAYLOAD_RETENTION}'`);
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not delete old event payloads');
    }
  }
}
