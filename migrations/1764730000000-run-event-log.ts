import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every run's events in commit order, so a subscriber resumes exactly from a
 * cursor whatever order concurrent writers commit in (see
 * src/pubsub/postgres-pubsub.ts, publishRunEvent). `run_event_heads` holds each
 * run's last position: a writer takes the next one as its last statement and
 * keeps the row locked until it commits, so positions follow commit order.
 */
export class RunEventLog1764730000000 implements MigrationInterface {
  name = 'RunEventLog1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE run_event_heads (
        run_id uuid PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        last_seq bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE run_events (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (run_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE run_events`);
    await q.query(`DROP TABLE run_event_heads`);
  }
}
