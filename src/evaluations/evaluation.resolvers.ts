import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { deriveClassMetrics } from './class-metrics.js';
import { asEvaluation } from './evaluation.record.js';

export const evaluationResolvers: Resolvers = {
  Query: {
    compareRuns: (_, { ids }, { services }) => services.evaluations.compare(ids),
  },
  Mutation: {
    recordEvaluation: (_, { runId, input }, { services }) => services.evaluations.record(runId, input),
    evaluateRun: (_, { runId, datasetId, split }, { services }) => services.modelEvaluations.request(runId, datasetId, split ?? 'TEST'),
  },
  Evaluation: {
    perClass: (evaluation) => deriveClassMetrics(evaluation.labels, evaluation.confusionMatrix).perClass,
    dataset: async (evaluation, _, { loaders, services }) => {
      const datasetId = evaluation.datasetId ?? (await services.runs.find(evaluation.runId))?.datasetId;
      return datasetId ? loaders.dataset.load(datasetId) : null;
    },
    split: (evaluation) => evaluation.split ?? 'TEST',
  },
  EvaluationJob: {
    run: async (job, _, { services }) => services.runs.require(job.runId),
    dataset: async (job, _, { loaders }) => (await loaders.dataset.load(job.datasetId))!,
    evaluation: (job) => asEvaluation(job),
  },
  Run: {
    evaluation: (run, _, { loaders }) => loaders.evaluation.load(run.id),
    evaluations: async (run, _, { loaders }) => {
      const own = await loaders.evaluation.load(run.id);
      const others = (await loaders.modelEvaluations.load(run.id)).flatMap((job) => asEvaluation(job) ?? []);
      return own ? [own, ...others] : others;
    },
    evaluationJobs: (run, _, { loaders }) => loaders.modelEvaluations.load(run.id),
  },
};
