import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { RunService } from '../runs/run.service.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { EvaluationRecord, ModelEvaluationRecord } from './evaluation.record.js';
import { ModelEvaluationRepository } from './model-evaluation.repository.js';
import { ModelEvaluationService } from './model-evaluation.service.js';
import { EvaluationRepository } from './evaluation.repository.js';
import { EvaluationService } from './evaluation.service.js';
import { evaluationResolvers } from './evaluation.resolvers.js';

export const evaluationsDomain = defineDomain({
  name: 'evaluations',
  services: (infra, { runs, datasets }: { runs: RunService; datasets: DatasetService }) => ({
    evaluations: new EvaluationService(new EvaluationRepository(infra.dataSource), runs, datasets, infra.machineUsdPerHour ?? null),
    modelEvaluations: new ModelEvaluationService(infra.dataSource, new ModelEvaluationRepository(infra.dataSource), runs, datasets, infra.queue, infra.pubsub),
  }),
  resolvers: evaluationResolvers,
  loaders: ({ evaluations, modelEvaluations }) => ({
    evaluation: new DataLoader<string, EvaluationRecord | null>(async (ids) =>
      groupBy(ids, await evaluations.ofRuns(ids), (r) => r.runId).map((rows) => rows[0] ?? null)),
    modelEvaluations: new DataLoader<string, ModelEvaluationRecord[]>(async (ids) => groupBy(ids, await modelEvaluations.ofRuns(ids), (r) => r.runId)),
  }),
  mappers: {
    Evaluation: 'evaluations/evaluation.record.js#EvaluationRecord',
    RunComparison: 'evaluations/evaluation.service.js#RunComparison',
    EvaluationJob: 'evaluations/evaluation.record.js#ModelEvaluationRecord',
  },
});
