import type { SqlRunner } from '../../kernel/sql.js';

export interface StaleRun {
  id: string;
  workerId: string | null;
  /** The last heartbeat (or the start, for a run that never sent one). */
  lastSeenAt: Date;
}

/**
 * Stamps runs still owned by a worker (RUNNING, its id); $1 run ids, $2 worker id. Shared with
 * the heartbeat thread (heartbeat-thread.ts), which runs it on a connection of its own.
 */
export const BEAT_SQL = `/* beatRunHeartbeats */ WITH beaten AS (UPDATE runs SET heartbeat_at = now()
   WHERE id = ANY($1::uuid[]) AND status = 'RUNNING' AND worker_id = $2 RETURNING id)
 SELECT id FROM beaten`;

/** Trainers whose runs a worker owns; EXTERNAL runs are reported by clients and never swept. */
const WORKER_TRAINERS = ['TFJS', 'REKOGNITION'];

/**
 * The heartbeat column of the runs table (see migrations/1764201600000-run-heartbeats.ts).
 * Every time comes from the database's clock, so workers on machines whose clocks
 * disagree still agree on what is stale.
 */
export class RunHeartbeatRepository {
  /**
   * Stamps the runs this worker still owns (RUNNING, its worker id) and returns their ids:
   * a run missing from the answer was cancelled, swept as lost, or finished elsewhere.
   */
  async beat(runner: SqlRunner, runIds: readonly string[], workerId: string): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const rows = await runner.query<{ id: string }[]>(BEAT_SQL, [runIds, workerId]);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * RUNNING worker-trained runs not stamped for `lostAfterMs`, locked for the caller's
   * transaction. SKIP LOCKED lets two sweepers run at once without failing a run twice
   * or waiting on each other.
   */
  lockStale(tx: SqlRunner, lostAfterMs: number): Promise<StaleRun[]> {
    return tx.query<StaleRun[]>(
      `/* lockStaleRuns */ SELECT id, worker_id AS "workerId", COALESCE(heartbeat_at, started_at, created_at) AS "lastSeenAt"
       FROM runs
       WHERE status = 'RUNNING' AND trainer = ANY($1::text[])
         AND COALESCE(heartbeat_at, started_at, created_at) < now() - make_interval(secs => $2::float8 / 1000)
       ORDER BY id
       FOR UPDATE SKIP LOCKED`,
      [WORKER_TRAINERS, lostAfterMs],
    );
  }
}
