import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { ModelEvaluationRecord, ModelEvaluationStatus } from './evaluation.record.js';

const COLUMNS = `id, run_id AS "runId", dataset_id AS "datasetId", split, status, error, labels, confusion_matrix AS "confusionMatrix",
  accuracy, macro_f1 AS "macroF1", test_images AS "testImages", source, created_at AS "createdAt", finished_at AS "finishedAt"`;

/** The only code that touches model_evaluations. */
export class ModelEvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Asks (again) for an evaluation; a repeated request starts it over. */
  async request(tx: SqlRunner, request: { runId: string; datasetId: string; split: string; status: ModelEvaluationStatus }): Promise<ModelEvaluationRecord> {
    const [row] = await tx.query<ModelEvaluationRecord[]>(
      `/* requestModelEvaluation */ INSERT INTO model_evaluations (run_id, dataset_id, split, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, dataset_id, split) DO UPDATE SET status = EXCLUDED.status, error = NULL, labels = NULL, confusion_matrix = NULL,
         accuracy = NULL, macro_f1 = NULL, test_images = NULL, source = NULL, created_at = now(), finished_at = NULL
       RETURNING ${COLUMNS}`,
      [request.runId, request.datasetId, request.split, request.status],
    );
    return row;
  }

  findByIds(ids: readonly string[], runner: SqlRunner = this.dataSource): Promise<ModelEvaluationRecord[]> {
    return runner.query(`/* findModelEvaluations */ SELECT ${COLUMNS} FROM model_evaluations WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Every evaluation of these runs, any status, oldest first. */
  ofRuns(runIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<ModelEvaluationRecord[]> {
    return runner.query(
      `/* modelEvaluationsOfRuns */ SELECT ${COLUMNS} FROM model_evaluations WHERE run_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [runIds],
    );
  }

  /** Moves evaluations from one of `from` to `to`; the rows that moved. */
  transition(
    tx: SqlRunner,
    where: { ids?: readonly string[]; runIds?: readonly string[] },
    from: readonly ModelEvaluationStatus[],
    to: ModelEvaluationStatus,
    error: string | null = null,
  ): Promise<ModelEvaluationRecord[]> {
    return tx.query(
      `/* transitionModelEvaluations */ WITH updated AS (UPDATE model_evaluations SET status = $4, error = $5,
         finished_at = CASE WHEN $4 IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN now() ELSE NULL END
       WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) AND ($2::uuid[] IS NULL OR run_id = ANY($2::uuid[])) AND status = ANY($3::text[])
       RETURNING *) SELECT ${COLUMNS} FROM updated`,
      [where.ids ?? null, where.runIds ?? null, from, to, error],
    );
  }

  async complete(
    tx: SqlRunner,
    id: string,
    result: { labels: string[]; confusionMatrix: number[][]; accuracy: number; macroF1: number; testImages: number; source: string },
  ): Promise<ModelEvaluationRecord | null> {
    const rows = await tx.query<ModelEvaluationRecord[]>(
      `/* completeModelEvaluation */ WITH updated AS (UPDATE model_evaluations SET status = 'SUCCEEDED', error = NULL, labels = $2::text[],
         confusion_matrix = $3::jsonb, accuracy = $4, macro_f1 = $5, test_images = $6, source = $7, finished_at = now()
       WHERE id = $1 AND status = 'RUNNING' RETURNING *) SELECT ${COLUMNS} FROM updated`,
      [id, result.labels, JSON.stringify(result.confusionMatrix), result.accuracy, result.macroF1, result.testImages, result.source],
    );
    return rows[0] ?? null;
  }
}
