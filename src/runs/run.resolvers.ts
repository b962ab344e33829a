import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const runResolvers: Resolvers = {
  Query: {
    runs: (_, { filter, first, after }, { services }) => services.runs.page(filter, first ?? 50, after),
    run: (_, { id }, { services }) => services.runs.find(id),
  },
  Mutation: {
    createRun: (_, { input }, { services }) => services.runs.createExternal(input),
    cancelRun: (_, { id }, { services }) => services.runs.cancel(id),
    finishRun: (_, { id, status, error }, { services }) => services.runs.finish(id, status, error),
    deleteRun: (_, { id }, { services }) => services.runs.delete(id),
  },
  RunConnection: {
    totalCount: (page) => page.totalCount(),
  },
  Run: {
    dataset: (run, _, { loaders }) => (run.datasetId ? loaders.dataset.load(run.datasetId) : null),
    notes: async (run, _, { loaders }) => (await loaders.notes.load(run.id)).map((note) => ({ __typename: 'RunNote' as const, ...note })),
  },
};
