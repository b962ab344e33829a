import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const metricResolvers: Resolvers = {
  Mutation: {
    logMetrics: (_, { runId, points }, { services }) => services.metrics.logMetrics(runId, points),
    logEpoch: (_, { runId, input }, { services }) => services.metrics.logEpoch(runId, input),
  },
};
