import type { DataSource } from 'typeorm';
import type { EvaluationRecord } from './evaluation.record.js';

const COLUMNS = `run_id AS "runId", labels, confusion_matrix AS "confusionMatrix", accuracy, macro_f1 AS "macroF1",
  test_images AS "testImages", source, created_at AS "createdAt"`;

export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records or replaces the run's evaluation; null when the run does not exist. */
  async upsert(evaluation: Omit<EvaluationRecord, 'createdAt'>): Promise<EvaluationRecord | null> {
    const rows = await this.dataSource.query(
      `/* upsertEvaluation */ INSERT INTO evaluations (run_id, labels, confusion_matrix, accuracy, macro_f1, test_images, source)
       SELECT $1, $2::text[], $3::jsonb, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1)
       ON CONFLICT (run_id) DO UPDATE SET labels = EXCLUDED.labels, confusion_matrix = EXCLUDED.confusion_matrix,
         accuracy = EXCLUDED.accuracy, macro_f1 = EXCLUDED.macro_f1, test_images = EXCLUDED.test_images,
         source = EXCLUDED.source, created_at = now()
       RETURNING ${COLUMNS}`,
      [evaluation.runId, evaluation.labels, JSON.stringify(evaluation.confusionMatrix), evaluation.accuracy, evaluation.macroF1, evaluation.testImages, evaluation.source],
    );
    return rows[0] ?? null;
  }

  ofRuns(runIds: readonly string[]): Promise<EvaluationRecord[]> {
    return this.dataSource.query(`/* evaluationsOfRuns */ SELECT ${COLUMNS} FROM evaluations WHERE run_id = ANY($1::uuid[])`, [runIds]);
  }
}
