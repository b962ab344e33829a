import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training workers stamp their RUNNING runs every few seconds; a sweeper in
 * every worker fails runs whose stamp went stale (the worker died), so no run
 * is left RUNNING forever. The partial index serves that sweep only.
 */
export class RunHeartbeats1764201600000 implements MigrationInterface {
  name = 'RunHeartbeats1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs ADD COLUMN heartbeat_at timestamptz`);
    await q.query(`CREATE INDEX runs_running_by_heartbeat ON runs (heartbeat_at) WHERE status = 'RUNNING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS runs_running_by_heartbeat`);
    await q.query(`ALTER TABLE runs DROP COLUMN IF EXISTS heartbeat_at`);
  }
}
