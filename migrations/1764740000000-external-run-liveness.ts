import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EXTERNAL runs (reported into by scripts) fail when silent longer than their
 * timeout: `runs.timeout_seconds` (set at createRun; 0 never; NULL for runs
 * trained by workers, which have worker heartbeats, and for EXTERNAL runs
 * created before this, which keep running until finished) and the run's last
 * report, `run_event_heads.reported_at` (every event, and heartbeat(runId)).
 */
export class ExternalRunLiveness1764740000000 implements MigrationInterface {
  name = 'ExternalRunLiveness1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs ADD COLUMN timeout_seconds integer`);
    await q.query(`ALTER TABLE run_event_heads ADD COLUMN reported_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX runs_running_external ON runs (id) WHERE status = 'RUNNING' AND trainer = 'EXTERNAL' AND timeout_seconds > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS runs_running_external`);
    await q.query(`ALTER TABLE run_event_heads DROP COLUMN IF EXISTS reported_at`);
    await q.query(`ALTER TABLE runs DROP COLUMN IF EXISTS timeout_seconds`);
  }
}
