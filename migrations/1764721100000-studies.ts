import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Derived datasets (parent, derivation, digest), studies with their arms, runs
 * that know their study, and evaluations of a run's model on other data.
 * A parent cannot be deleted while it has children: they use its files.
 */
export class Studies1764721100000 implements MigrationInterface {
  name = 'Studies1764721100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE datasets ADD COLUMN parent_id uuid REFERENCES datasets(id) ON DELETE RESTRICT,
      ADD COLUMN derivation jsonb, ADD COLUMN digest text`);
    // Deriving twice (same parent, kind, params, seed) finds the first child.
    await q.query(`CREATE UNIQUE INDEX datasets_one_child_per_derivation ON datasets (parent_id, derivation) WHERE parent_id IS NOT NULL`);
    // The same digest DatasetRepository.updateDigest computes (frozen here, as migrations are).
    await q.query(`UPDATE datasets d SET digest = (SELECT encode(sha256(convert_to(coalesce(string_agg(
        i.split || E'\\t' || i.label || E'\\t' || coalesce(i.content_hash, ''), E'\\n'
        ORDER BY i.split COLLATE "C", i.label COLLATE "C", coalesce(i.content_hash, '') COLLATE "C"), ''), 'UTF8')), 'hex')
      FROM dataset_images i WHERE i.dataset_id = d.id)`);
    await q.query(`
      CREATE TABLE studies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('LEARNING_CURVE', 'ROBUSTNESS')),
        dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE RESTRICT,
        trainer text NOT NULL CHECK (trainer IN ('TFJS', 'REKOGNITION')),
        seeds integer[] NOT NULL,
        config jsonb NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        estimated_cost_usd double precision,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE study_arms (
        study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        position integer NOT NULL,
        name text NOT NULL,
        x double precision NOT NULL,
        dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE RESTRICT,
        evaluates_arm integer,
        PRIMARY KEY (study_id, position)
      )`);
    await q.query(`ALTER TABLE runs ADD COLUMN study_id uuid REFERENCES studies(id) ON DELETE SET NULL, ADD COLUMN study_arm integer`);
    await q.query(`CREATE INDEX runs_by_study ON runs (study_id, study_arm) WHERE study_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE model_evaluations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        split text NOT NULL CHECK (split IN ('TRAIN', 'VALIDATION', 'TEST')),
        status text NOT NULL CHECK (status IN ('WAITING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        error text,
        labels text[],
        confusion_matrix jsonb,
        accuracy double precision,
        macro_f1 double precision,
        test_images integer,
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT model_evaluations_one_per_data UNIQUE (run_id, dataset_id, split)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE model_evaluations`);
    await q.query(`ALTER TABLE runs DROP COLUMN study_arm, DROP COLUMN study_id`);
    await q.query(`DROP TABLE study_arms`);
    await q.query(`DROP TABLE studies`);
    await q.query(`ALTER TABLE datasets DROP COLUMN digest, DROP COLUMN derivation, DROP COLUMN parent_id`);
  }
}
