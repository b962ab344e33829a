import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a trainer reports when it is done (e.g. Rekognition's billable time, cost and model ARNs). */
export class RunOutputs1764374400000 implements MigrationInterface {
  name = 'RunOutputs1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs ADD COLUMN outputs jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs DROP COLUMN outputs`);
  }
}
