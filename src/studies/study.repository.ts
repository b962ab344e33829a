import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { StudyArmRecord, StudyRecord } from './study.record.js';

const COLUMNS = `id, name, kind, dataset_id AS "datasetId", trainer, seeds, config, tags, estimated_cost_usd AS "estimatedCostUsd",
  cancelled_at AS "cancelledAt", created_at AS "createdAt"`;
const ARM_COLUMNS = `study_id AS "studyId", position, name, x, dataset_id AS "datasetId", evaluates_arm AS "evaluatesArm"`;

/** The only code that touches the studies tables. */
export class StudyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: SqlRunner, study: Omit<StudyRecord, 'id' | 'cancelledAt' | 'createdAt'>): Promise<StudyRecord> {
    const [row] = await tx.query<StudyRecord[]>(
      `/* insertStudy */ INSERT INTO studies (name, kind, dataset_id, trainer, seeds, config, tags, estimated_cost_usd)
       VALUES ($1, $2, $3, $4, $5::int[], $6::jsonb, $7::text[], $8) RETURNING ${COLUMNS}`,
      [study.name, study.kind, study.datasetId, study.trainer, study.seeds, JSON.stringify(study.config), study.tags, study.estimatedCostUsd],
    );
    return row;
  }

  async insertArm(tx: SqlRunner, arm: StudyArmRecord): Promise<void> {
    await tx.query(
      `/* insertStudyArm */ INSERT INTO study_arms (study_id, position, name, x, dataset_id, evaluates_arm) VALUES ($1, $2, $3, $4, $5, $6)`,
      [arm.studyId, arm.position, arm.name, arm.x, arm.datasetId, arm.evaluatesArm],
    );
  }

  findByIds(ids: readonly string[], runner: SqlRunner = this.dataSource): Promise<StudyRecord[]> {
    return runner.query(`/* findStudiesByIds */ SELECT ${COLUMNS} FROM studies WHERE id = ANY($1::uuid[])`, [ids]);
  }

  listNewestFirst(): Promise<StudyRecord[]> {
    return this.dataSource.query(`/* listStudies */ SELECT ${COLUMNS} FROM studies ORDER BY created_at DESC, id`);
  }

  armsOf(studyIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<StudyArmRecord[]> {
    return runner.query(`/* studyArms */ SELECT ${ARM_COLUMNS} FROM study_arms WHERE study_id = ANY($1::uuid[]) ORDER BY study_id, position`, [studyIds]);
  }

  /** Marks the study cancelled; false when it already was. */
  async markCancelled(tx: SqlRunner, id: string): Promise<boolean> {
    const rows = await tx.query(
      `/* cancelStudy */ WITH updated AS (UPDATE studies SET cancelled_at = now() WHERE id = $1 AND cancelled_at IS NULL RETURNING id) SELECT id FROM updated`,
      [id],
    );
    return rows.length > 0;
  }
}
