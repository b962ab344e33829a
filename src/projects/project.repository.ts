import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { ProjectRecord } from './project.record.js';

const COLUMNS = `id, name, created_at AS "createdAt"`;

/** The only code that touches the projects table. */
export class ProjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest first (the default project leads). */
  list(): Promise<ProjectRecord[]> {
    return this.dataSource.query(`/* listProjects */ SELECT ${COLUMNS} FROM projects ORDER BY seq`);
  }

  findByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    return this.dataSource.query(`/* findProjectsByIds */ SELECT ${COLUMNS} FROM projects WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async findByName(name: string, runner: SqlRunner = this.dataSource): Promise<ProjectRecord | null> {
    const [row] = await runner.query(`/* findProjectByName */ SELECT ${COLUMNS} FROM projects WHERE name = $1`, [name]);
    return row ?? null;
  }

  /** The new project, or null when the name is taken. */
  async insert(name: string): Promise<ProjectRecord | null> {
    const [row] = await this.dataSource.query(
      `/* insertProject */ INSERT INTO projects (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [name],
    );
    return row ?? null;
  }
}
