import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const runResolvers: Resolvers = {
  Query: {
    runs: (_, { filter, first, after, orderBy }, { services }) => services.runs.page(filter, first ?? 50, after, orderBy),
    run: (_, { id }, { services }) => services.runs.find(id),
  },
  Mutation: {
    createRun: (_, { input }, { services }) => services.runs.createExternal(input),
    cancelRun: (_, { id }, { services }) => services.runs.cancel(id),
    finishRun: (_, { id, status, error }, { services }) => services.runs.finish(id, status, error),
    heartbeat: (_, { runId }, { services }) => services.runs.heartbeat(runId),
    logParams: (_, { runId, params }, { services }) => services.runs.logParams(runId, params),
    setRunTags: (_, { runId, tags }, { services }) => services.runs.setTagValues(runId, tags),
    deleteRun: (_, { id }, { services }) => services.runs.delete(id),
  },
  RunConnection: {
    totalCount: (page) => page.totalCount(),
  },
  Run: {
    dataset: (run, _, { loaders }) => (run.datasetId ? loaders.dataset.load(run.datasetId) : null),
    eventCursor: (run) => run.eventSeq,
    project: async (run, _, { loaders }) => (await loaders.project.load(run.projectId))!,
    params: (run, _, { loaders }) => loaders.params.load(run.id),
    tagValues: (run) => Object.entries(run.tagValues).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => ({ key, value })),
    notes: async (run, _, { loaders }) => (await loaders.notes.load(run.id)).map((note) => ({ __typename: 'RunNote' as const, ...note })),
  },
};
