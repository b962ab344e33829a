import { defineDomain } from '../kernel/domain-module.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { apiKeyResolvers } from './api-key.resolvers.js';

export const authDomain = defineDomain({
  name: 'auth',
  services: (infra) => ({ apiKeys: new ApiKeyService(new ApiKeyRepository(infra.dataSource), infra.dataSource, infra.pubsub) }),
  resolvers: apiKeyResolvers,
  mappers: { ApiKey: 'auth/api-key.record.js#ApiKeyRecord' },
});
