import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const projectResolvers: Resolvers = {
  Query: {
    projects: (_, __, { services }) => services.projects.list(),
    project: (_, { name }, { services }) => services.projects.findByName(name),
  },
  Mutation: {
    createProject: (_, { name }, { services }) => services.projects.create(name),
  },
};
