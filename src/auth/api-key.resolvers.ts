import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { assertScope } from './api-key.service.js';

/** The operation guard already required admin for these fields; checked again here so no path skips it. */
export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: (_, __, { services, principal }) => {
      assertScope(principal, 'admin', 'listing API keys');
      return services.apiKeys.list();
    },
  },
  Mutation: {
    createApiKey: (_, { name, scope }, { services, principal }) => {
      assertScope(principal, 'admin', 'creating API keys');
      return services.apiKeys.create({ name, scope });
    },
    revokeApiKey: (_, { id }, { services, principal }) => {
      assertScope(principal, 'admin', 'revoking API keys');
      return services.apiKeys.revoke(id);
    },
  },
};
