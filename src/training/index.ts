import { defineDomain } from '../kernel/domain-module.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { RunService } from '../runs/run.service.js';
import { ServerInfoService } from './server-info.service.js';
import { TrainingService } from './training.service.js';
import { trainingResolvers } from './training.resolvers.js';

export const trainingDomain = defineDomain({
  name: 'training',
  services: (infra, { runs, datasets }: { runs: RunService; datasets: DatasetService }) => {
    const env = infra.env ?? process.env;
    return {
      training: new TrainingService(runs, datasets, infra.queue, infra.trainers, infra.files, env),
      serverInfo: new ServerInfoService(runs, infra.trainers, env),
    };
  },
  resolvers: trainingResolvers,
  mappers: { ServerInfo: 'training/server-info.service.js#ServerInfoRoot' },
});
