import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import type { RunEvent } from '../kernel/run-event.js';

const passThrough = (event: RunEvent) => event;

export const eventResolvers: Resolvers = {
  Subscription: {
    runEvents: {
      subscribe: (_, { runId, afterStep, after }, { services }) => services.events.runEvents(runId, afterStep, after),
      resolve: passThrough,
    },
    runStatusChanged: {
      subscribe: (_, __, { services }) => services.events.statusChanges(),
      resolve: passThrough,
    },
  },
  RunEvent: {
    __resolveType: (event) => event.__typename,
  },
};
