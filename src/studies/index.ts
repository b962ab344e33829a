import { defineDomain } from '../kernel/domain-module.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { DerivationService } from '../datasets/derive/derivation.service.js';
import type { EvaluationService } from '../evaluations/evaluation.service.js';
import type { ModelEvaluationService } from '../evaluations/model-evaluation.service.js';
import type { RunService } from '../runs/run.service.js';
import type { TrainingService } from '../training/training.service.js';
import { StudyPlanner } from './study-planner.js';
import { StudyRepository } from './study.repository.js';
import { StudyService } from './study.service.js';
import { studyResolvers } from './study.resolvers.js';

interface Needs {
  datasets: DatasetService;
  derivations: DerivationService;
  runs: RunService;
  evaluations: EvaluationService;
  modelEvaluations: ModelEvaluationService;
  training: TrainingService;
}

/** Studies: learning curves and robustness studies, planned as many runs and answered as one curve. */
export const studiesDomain = defineDomain({
  name: 'studies',
  services: (infra, needs: Needs) => {
    const repository = new StudyRepository(infra.dataSource);
    return {
      studies: new StudyService(infra.dataSource, repository, needs.runs, needs.datasets, needs.evaluations, needs.modelEvaluations, infra.pubsub),
      studyPlanner: new StudyPlanner(infra.dataSource, repository, needs.training, needs.derivations, needs.modelEvaluations),
    };
  },
  resolvers: studyResolvers,
  mappers: {
    Study: 'studies/study.record.js#StudyRecord',
    StudyArm: 'studies/study.record.js#StudyArmRecord',
    StudyProgress: 'studies/study.service.js#StudyProgress',
    CurvePoint: 'studies/study.service.js#CurvePoint',
  },
});
