import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const datasetResolvers: Resolvers = {
  Query: {
    datasets: (_, __, { services }) => services.datasets.list(),
    dataset: (_, { id }, { loaders }) => loaders.dataset.load(id),
  },
  Mutation: {
    createDataset: (_, { input }, { services }) => services.datasets.create(input),
    importDataset: (_, { input }, { services }) => services.datasets.importFolder(input),
    generateSyntheticDataset: (_, { input }, { services }) => services.datasets.generateSynthetic(input),
    deriveDataset: (_, { input }, { services }) => services.derivations.derive(input),
  },
  Dataset: {
    labels: async (dataset, _, { loaders }) => [...new Set((await loaders.classCounts.load(dataset.id)).map((c) => c.label))].sort(),
    imageCount: async (dataset, _, { loaders }) => (await loaders.classCounts.load(dataset.id)).reduce((n, c) => n + c.count, 0),
    classCounts: (dataset, _, { loaders }) => loaders.classCounts.load(dataset.id),
    parent: (dataset, _, { loaders }) => (dataset.parentId ? loaders.dataset.load(dataset.parentId) : null),
    children: (dataset, _, { loaders }) => loaders.children.load(dataset.id),
    images: (dataset, args, { services }) => services.datasets.images(dataset.id, { split: args.split, label: args.label, first: args.first ?? 20 }),
  },
};
