import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parked event payloads (NOTIFY's 8000-byte limit, see src/pubsub/postgres-pubsub.ts)
 * are written once and read back whole: `json` only validates the text, where
 * `jsonb` parses and rebuilds it. For a 10,000-point batch that was ~40 ms of
 * the database's time per batch here, about a third of the points' own insert.
 */
export class EventPayloadsAsJson1764547200000 implements MigrationInterface {
  name = 'EventPayloadsAsJson1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_payloads ALTER COLUMN payload TYPE json USING payload::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_payloads ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
  }
}
