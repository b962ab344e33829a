import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { badInput } from '../kernel/errors.js';

export const trainingResolvers: Resolvers = {
  ServerInfo: {
    engine: (_, __, { services }) => services.serverInfo.tfjsEngine(),
    trainers: (_, __, { services }) => services.serverInfo.trainerAvailability(),
    trainingSpeed: (_, { architecture, imageSize }, { services }) => {
      if (!Number.isInteger(imageSize) || imageSize < 16 || imageSize > 1024) throw badInput(`imageSize must be an integer from 16 to 1024; got ${imageSize}`);
      return services.serverInfo.trainingSpeed(architecture, imageSize);
    },
  },
  Mutation: {
    startTraining: (_, { input }, { services }) => services.training.start(input),
  },
};
