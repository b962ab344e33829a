import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Metric points are their own table keyed (run_id, key, step)
 * so a retried batch replaces rather than duplicates; runs carry a sequence
 * number that gives a stable newest-first order for cursor pagination.
 */
export class InitialSchema1764115200000 implements MigrationInterface {
  name = 'InitialSchema1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE datasets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT datasets_name_unique UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE dataset_images (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        uri text NOT NULL,
        label text NOT NULL,
        split text NOT NULL CHECK (split IN ('TRAIN', 'VALIDATION', 'TEST')),
        content_hash text
      )`);
    await q.query(`CREATE INDEX dataset_images_by_split_label ON dataset_images (dataset_id, split, label)`);
    await q.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        name text NOT NULL,
        trainer text NOT NULL CHECK (trainer IN ('TFJS', 'REKOGNITION', 'EXTERNAL')),
        status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        dataset_id uuid REFERENCES datasets(id) ON DELETE SET NULL,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        tags text[] NOT NULL DEFAULT '{}',
        error text,
        worker_id text,
        engine text,
        gpu_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // Each filter of Query.runs, newest first.
    await q.query(`CREATE INDEX runs_by_status ON runs (status, seq DESC)`);
    await q.query(`CREATE INDEX runs_by_trainer ON runs (trainer, seq DESC)`);
    await q.query(`CREATE INDEX runs_by_dataset ON runs (dataset_id, seq DESC)`);
    await q.query(`CREATE INDEX runs_by_tag ON runs USING gin (tags)`);
    await q.query(`
      CREATE TABLE epochs (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        phase text NOT NULL,
        index integer NOT NULL CHECK (index >= 0),
        loss double precision,
        accuracy double precision,
        val_loss double precision,
        val_accuracy double precision,
        learning_rate double precision,
        duration_ms integer,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, phase, index)
      )`);
    await q.query(`
      CREATE TABLE metric_points (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key text NOT NULL,
        step integer NOT NULL CHECK (step >= 0),
        value double precision NOT NULL,
        time timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, key, step)
      )`);
    await q.query(`
      CREATE TABLE evaluations (
        run_id uuid PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        labels text[] NOT NULL,
        confusion_matrix jsonb NOT NULL,
        accuracy double precision NOT NULL,
        macro_f1 double precision NOT NULL,
        test_images integer NOT NULL,
        source text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind text NOT NULL,
        uri text NOT NULL,
        bytes bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT artifacts_run_uri_unique UNIQUE (run_id, uri)
      )`);
    // NOTIFY carries at most 8000 bytes: larger event payloads are parked here
    // and the notification names the row (see src/pubsub/postgres-pubsub.ts).
    await q.query(`
      CREATE TABLE event_payloads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX event_payloads_by_age ON event_payloads (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['event_payloads', 'artifacts', 'evaluations', 'metric_points', 'epochs', 'runs', 'dataset_images', 'datasets']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
