import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const metricResolvers: Resolvers = {
  Mutation: {
    logMetrics: async (_, { runId, points }, { services, metrics }) => {
      const result = await services.metrics.logMetrics(runId, points);
      metrics.pointsIngested.inc(result.accepted);
      return result;
    },
    logMetricSeries: async (_, { runId, series }, { services, metrics }) => {
      const result = await services.metrics.logMetricSeries(runId, series);
      metrics.pointsIngested.inc(result.accepted);
      return result;
    },
    logEpoch: (_, { runId, input }, { services }) => services.metrics.logEpoch(runId, input),
  },
  Run: {
    epochs: (run, _, { loaders }) => loaders.epochs.load(run.id),
    metricKeys: (run, _, { loaders }) => loaders.metricKeys.load(run.id),
    metric: (run, { key, maxPoints, afterStep }, { services }) => services.metrics.series(run.id, key, maxPoints, afterStep),
    summaries: (run, _, { loaders }) => loaders.summaries.load(run.id),
    summary: async (run, { key }, { services }) => (await services.metrics.summariesOfRuns([run.id], key))[0] ?? null,
  },
};
