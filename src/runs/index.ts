import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { ProjectService } from '../projects/project.service.js';
import type { RunNoteRecord, RunParamRecord } from './run.record.js';
import { RunRepository } from './run.repository.js';
import { RunService } from './run.service.js';
import { runResolvers } from './run.resolvers.js';

export const runsDomain = defineDomain({
  name: 'runs',
  services: (infra, { datasets, projects }: { datasets: DatasetService; projects: ProjectService }) => ({
    runs: new RunService(infra.dataSource, new RunRepository(infra.dataSource), datasets, projects, infra.pubsub),
  }),
  resolvers: runResolvers,
  loaders: ({ runs }) => ({
    notes: new DataLoader<string, RunNoteRecord[]>(async (ids) => groupBy(ids, await runs.notesOfRuns(ids), (r) => r.runId)),
    params: new DataLoader<string, RunParamRecord[]>(async (ids) => groupBy(ids, await runs.paramsOfRuns(ids), (r) => r.runId)),
  }),
  mappers: {
    Run: 'runs/run.record.js#RunRecord',
    RunConnection: 'runs/run.service.js#RunPage',
  },
});
