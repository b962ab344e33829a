import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys: only a SHA-256 of each key is stored (keys are 192 random bits, so a
 * slow hash adds nothing); the prefix finds the row. A key has one scope now;
 * per-project keys will add a nullable project column, nothing else changes.
 */
export class ApiKeys1764288000000 implements MigrationInterface {
  name = 'ApiKeys1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
