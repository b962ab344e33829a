import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deployments: a run's model in use, its predictions (unique by content hash,
 * numbered in arrival order so windows are fixed ranges), the monitor windows
 * they close and the alerts raised on them. A deployment's rows go with its
 * run (deleteRun refuses while one is STARTING or ACTIVE).
 */
export class Deployments1764720000000 implements MigrationInterface {
  name = 'Deployments1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        name text NOT NULL,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        trainer text NOT NULL,
        status text NOT NULL CHECK (status IN ('STARTING', 'ACTIVE', 'STOPPED', 'FAILED')),
        error text,
        labels text[] NOT NULL,
        window_size integer NOT NULL CHECK (window_size > 0),
        alert_rules jsonb NOT NULL DEFAULT '[]'::jsonb,
        reference jsonb,
        prediction_count integer NOT NULL DEFAULT 0,
        cost_per_hour_usd double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        active_since timestamptz,
        stopped_at timestamptz
      )`);
    await q.query(`CREATE INDEX deployments_by_run ON deployments (run_id)`);
    await q.query(`
      CREATE TABLE predictions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq >= 0),
        uri text,
        content_hash text NOT NULL,
        label text NOT NULL,
        confidence double precision NOT NULL,
        scores double precision[] NOT NULL,
        mean_intensity double precision NOT NULL,
        contrast double precision NOT NULL,
        sharpness double precision NOT NULL,
        truth text,
        truth_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT predictions_content_unique UNIQUE (deployment_id, content_hash),
        CONSTRAINT predictions_seq_unique UNIQUE (deployment_id, seq)
      )`);
    await q.query(`
      CREATE TABLE monitor_windows (
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        index integer NOT NULL CHECK (index >= 0),
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        predictions integer NOT NULL,
        predicted_share double precision[] NOT NULL,
        mean_confidence double precision NOT NULL,
        predicted_class_psi double precision NOT NULL,
        input_drift double precision NOT NULL,
        macro_f1 double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (deployment_id, index)
      )`);
    await q.query(`
      CREATE TABLE deployment_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        rule_index integer NOT NULL,
        metric text NOT NULL,
        window_index integer NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deployment_alerts_once UNIQUE (deployment_id, rule_index, window_index)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['deployment_alerts', 'monitor_windows', 'predictions', 'deployments']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
