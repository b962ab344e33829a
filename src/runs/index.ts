import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { RunNoteRecord } from './run.record.js';
import { RunRepository } from './run.repository.js';
import { RunService } from './run.service.js';
import { runResolvers } from './run.resolvers.js';

export const runsDomain = defineDomain({
  name: 'runs',
  services: (infra, { datasets }: { datasets: DatasetService }) => ({
    runs: new RunService(infra.dataSource, new RunRepository(infra.dataSource), datasets, infra.pubsub),
  }),
  resolvers: runResolvers,
  loaders: ({ runs }) => ({
    notes: new DataLoader<string, RunNoteRecord[]>(async (ids) => groupBy(ids, await runs.notesOfRuns(ids), (r) => r.runId)),
  }),
  mappers: {
    Run: 'runs/run.record.js#RunRecord',
    RunConnection: 'runs/run.service.js#RunPage',
  },
});
