import { z } from 'zod';
import { conflict, isUuid, notFound } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import { DEFAULT_PROJECT_ID, type ProjectRecord } from './project.record.js';
import type { ProjectRepository } from './project.repository.js';

export const projectNameSchema = z.string().trim().min(1, 'project must not be empty').max(200, 'project must be at most 200 characters');

/** Projects group runs; a run names its project and the project exists from then on. */
export class ProjectService {
  constructor(private readonly repository: ProjectRepository) {}

  list(): Promise<ProjectRecord[]> {
    return this.repository.list();
  }

  findByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    return this.repository.findByIds(ids);
  }

  async find(id: string): Promise<ProjectRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.repository.findByIds([id]);
    return row ?? null;
  }

  async require(id: string): Promise<ProjectRecord> {
    const project = await this.find(id);
    if (!project) throw notFound('project', id);
    return project;
  }

  findByName(name: string): Promise<ProjectRecord | null> {
    return this.repository.findByName(parseInput(projectNameSchema, name, 'project'));
  }

  /** A new project; CONFLICT when the name is taken. */
  async create(name: string): Promise<ProjectRecord> {
    const parsed = parseInput(projectNameSchema, name, 'name');
    const row = await this.repository.insert(parsed);
    if (!row) throw conflict(`a project named "${parsed}" already exists`);
    return row;
  }

  /** The project of that name, created when missing (a run may name a project that does not exist yet). */
  async ensure(name: string | null | undefined): Promise<ProjectRecord> {
    if (name == null) return (await this.require(DEFAULT_PROJECT_ID));
    const parsed = parseInput(projectNameSchema, name, 'project');
    // Insert first: two runs naming a new project at once both end up in the one project.
    return (await this.repository.insert(parsed)) ?? (await this.repository.findByName(parsed))!;
  }
}
