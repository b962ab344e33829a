import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import type { StudyProgress } from './study.service.js';

export const studyResolvers: Resolvers = {
  Query: {
    studies: (_, __, { services }) => services.studies.list(),
    study: (_, { id }, { services }) => services.studies.find(id),
  },
  Mutation: {
    startLearningCurve: (_, { input }, { services }) => services.studyPlanner.startLearningCurve(input),
    startRobustnessStudy: (_, { input }, { services }) => services.studyPlanner.startRobustnessStudy(input),
    cancelStudy: (_, { id }, { services }) => services.studies.cancel(id),
  },
  Subscription: {
    studyEvents: {
      subscribe: (_, { studyId }, { services }) => services.studies.events(studyId),
      resolve: (progress: StudyProgress) => progress,
    },
  },
  Study: {
    status: (study, _, { services }) => services.studies.status(study),
    dataset: async (study, _, { loaders }) => (await loaders.dataset.load(study.datasetId))!,
    arms: (study, _, { services }) => services.studies.arms(study.id),
    curve: (study, { metric, label }, { services }) => services.studies.curve(study, metric ?? 'MACRO_F1', label),
    minimalTrainingSize: (study, { target, metric, label }, { services }) => services.studies.minimalTrainingSize(study, target, metric ?? 'MACRO_F1', label),
  },
  StudyArm: {
    dataset: async (arm, _, { loaders }) => (await loaders.dataset.load(arm.datasetId))!,
    runs: (arm, _, { services }) => services.studies.armRuns(arm),
    evaluatesBaseline: (arm) => arm.evaluatesArm !== null,
  },
  Run: {
    study: (run, _, { services }) => (run.studyId ? services.studies.find(run.studyId) : null),
  },
};
