import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The project every run belongs to unless told otherwise; src/projects/project.record.ts names it too. */
const DEFAULT_PROJECT_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Finding runs: projects group them; run_params and metric_summaries hold what
 * `runs` filters and sorts on (a parameter's value, a metric key's last, min
 * and max), kept current by the writes themselves so a query reads one row per
 * run and key instead of a series. Key/value tags (MLflow's) sit beside the
 * plain label tags, which stay `text[]` for the contract's `tags: [String!]!`.
 */
export class ProjectsParamsSummaries1764723600000 implements MigrationInterface {
  name = 'ProjectsParamsSummaries1764723600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projects_name_unique UNIQUE (name)
      )`);
    await q.query(`INSERT INTO projects (id, name) VALUES ('${DEFAULT_PROJECT_ID}', 'default')`);
    // A fixed default, so every writer of runs (trainers, studies) lands in "default" without knowing projects.
    await q.query(`ALTER TABLE runs ADD COLUMN project_id uuid NOT NULL DEFAULT '${DEFAULT_PROJECT_ID}' REFERENCES projects(id)`);
    await q.query(`ALTER TABLE runs ADD COLUMN tag_values jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`CREATE INDEX runs_by_project ON runs (project_id, seq DESC)`);
    await q.query(`
      CREATE TABLE run_params (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key text NOT NULL,
        value text NOT NULL,
        -- The value as a number when it reads as one: 0.001 and 1e-3 are the same learning rate.
        num double precision,
        PRIMARY KEY (run_id, key)
      )`);
    await q.query(`CREATE INDEX run_params_by_value ON run_params (key, value, run_id)`);
    await q.query(`CREATE INDEX run_params_by_number ON run_params (key, num, run_id)`);
    await q.query(`
      CREATE TABLE metric_summaries (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key text NOT NULL,
        last_step integer NOT NULL,
        last_value double precision NOT NULL,
        last_time timestamptz NOT NULL,
        min_value double precision NOT NULL,
        max_value double precision NOT NULL,
        point_count integer NOT NULL,
        PRIMARY KEY (run_id, key)
      )`);
    for (const column of ['last_value', 'min_value', 'max_value']) {
      await q.query(`CREATE INDEX metric_summaries_by_${column} ON metric_summaries (key, ${column}, run_id)`);
    }
    // Runs logged before this migration: their summaries from what is stored.
    await q.query(`
      INSERT INTO metric_summaries (run_id, key, last_step, last_value, last_time, min_value, max_value, point_count)
      SELECT DISTINCT ON (run_id, key) run_id, key, step, value, time,
        min(value) OVER w, max(value) OVER w, (count(*) OVER w)::int
      FROM metric_points WINDOW w AS (PARTITION BY run_id, key)
      ORDER BY run_id, key, step DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metric_summaries`);
    await q.query(`DROP TABLE run_params`);
    await q.query(`ALTER TABLE runs DROP COLUMN tag_values`);
    await q.query(`ALTER TABLE runs DROP COLUMN project_id`);
    await q.query(`DROP TABLE projects`);
  }
}
