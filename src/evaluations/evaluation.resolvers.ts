import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { deriveClassMetrics } from './class-metrics.js';

export const evaluationResolvers: Resolvers = {
  Query: {
    compareRuns: (_, { ids }, { services }) => services.evaluations.compare(ids),
  },
  Mutation: {
    recordEvaluation: (_, { runId, input }, { services }) => services.evaluations.record(runId, input),
  },
  Evaluation: {
    perClass: (evaluation) => deriveClassMetrics(evaluation.labels, evaluation.confusionMatrix).perClass,
  },
  Run: {
    evaluation: (run, _, { loaders }) => loaders.evaluation.load(run.id),
  },
};
