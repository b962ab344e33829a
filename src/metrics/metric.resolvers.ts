import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const metricResolvers: Resolvers = {
  Mutation: {
    logMetrics: async (_, { runId, points }, { services, metrics }) => {
      const result = await services.metrics.logMetrics(runId, points);
      metrics.pointsIngested.inc(result.accepted);
      return result;
    },
    logEpoch: (_, { runId, input }, { services }) => services.metrics.logEpoch(runId, input),
  },
};
