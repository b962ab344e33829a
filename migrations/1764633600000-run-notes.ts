import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trainer's progress notes (e.g. Rekognition's status messages), stored so a
 * resumed subscription and `Run.notes` have them too, not only live listeners.
 */
export class RunNotes1764633600000 implements MigrationInterface {
  name = 'RunNotes1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE run_notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        message text NOT NULL,
        time timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX run_notes_run_id_id ON run_notes (run_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE run_notes`);
  }
}
