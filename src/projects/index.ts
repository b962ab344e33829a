import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { byId } from '../kernel/group-rows.js';
import type { ProjectRecord } from './project.record.js';
import { ProjectRepository } from './project.repository.js';
import { ProjectService } from './project.service.js';
import { projectResolvers } from './project.resolvers.js';

export const projectsDomain = defineDomain({
  name: 'projects',
  services: (infra) => ({ projects: new ProjectService(new ProjectRepository(infra.dataSource)) }),
  resolvers: projectResolvers,
  loaders: ({ projects }) => ({
    project: new DataLoader<string, ProjectRecord | null>(async (ids) => byId(ids, await projects.findByIds(ids))),
  }),
  mappers: { Project: 'projects/project.record.js#ProjectRecord' },
});
