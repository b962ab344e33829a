import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const artifactResolvers: Resolvers = {
  Run: {
    artifacts: (run, _, { loaders }) => loaders.artifacts.load(run.id),
  },
};
