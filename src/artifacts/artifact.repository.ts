import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { ArtifactRecord } from './artifact.record.js';

const COLUMNS = `id, run_id AS "runId", kind, uri, bytes::float8 AS bytes, created_at AS "createdAt"`;

/** The only code that touches the artifacts table. */
export class ArtifactRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a file a run produced; the same uri again replaces it. */
  async upsert(artifact: { runId: string; kind: string; uri: string; bytes: number }): Promise<ArtifactRecord> {
    const [row] = await this.dataSource.query(
      `/* upsertArtifact */ INSERT INTO artifacts (run_id, kind, uri, bytes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, uri) DO UPDATE SET kind = EXCLUDED.kind, bytes = EXCLUDED.bytes, created_at = now()
       RETURNING ${COLUMNS}`,
      [artifact.runId, artifact.kind, artifact.uri, artifact.bytes],
    );
    return row;
  }

  ofRuns(runIds: readonly string[], runner: SqlRunner = this.dataSource): Promise<ArtifactRecord[]> {
    return runner.query(`/* artifactsOfRuns */ SELECT ${COLUMNS} FROM artifacts WHERE run_id = ANY($1::uuid[]) ORDER BY created_at, uri`, [runIds]);
  }

  async exists(runId: string, uri: string): Promise<boolean> {
    const rows = await this.dataSource.query(`/* artifactByUri */ SELECT 1 FROM artifacts WHERE run_id = $1 AND uri = $2`, [runId, uri]);
    return rows.length > 0;
  }
}
