import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const trainingResolvers: Resolvers = {
  Mutation: {
    startTraining: (_, { input }, { services }) => services.training.start(input),
  },
};
