import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import type { DatasetRecord } from './dataset.record.js';
import type { ClassCountRow } from './dataset.repository.js';
import { DatasetRepository } from './dataset.repository.js';
import { DatasetService } from './dataset.service.js';
import { DerivationService } from './derive/derivation.service.js';
import { datasetResolvers } from './dataset.resolvers.js';
import { datasetImagesRouter } from './dataset-images.route.js';
import { byId, groupBy } from '../kernel/group-rows.js';

export const datasetsDomain = defineDomain({
  name: 'datasets',
  services: (infra) => {
    const repository = new DatasetRepository(infra.dataSource);
    return {
      datasets: new DatasetService(infra.dataSource, repository, infra.files, infra.log),
      derivations: new DerivationService(infra.dataSource, repository, infra.files),
    };
  },
  resolvers: datasetResolvers,
  loaders: ({ datasets }) => ({
    dataset: new DataLoader<string, DatasetRecord | null>(async (ids) => byId(ids, await datasets.findByIds(ids))),
    children: new DataLoader<string, DatasetRecord[]>(async (ids) => groupBy(ids, await datasets.childrenOf(ids), (r) => r.parentId!)),
    classCounts: new DataLoader<string, ClassCountRow[]>(async (ids) => groupBy(ids, await datasets.classCounts(ids), (r) => r.datasetId)),
  }),
  routes: ({ datasets }, deps) => [datasetImagesRouter({ datasets, ...deps })],
  mappers: {
    Dataset: 'datasets/dataset.record.js#DatasetRecord',
    DatasetImage: 'datasets/dataset.record.js#DatasetImageRecord',
  },
});
