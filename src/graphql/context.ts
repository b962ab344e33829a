import type { Logger } from 'pino';
import type { Services } from '../services.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  services: Services;
  loaders: Loaders;
  requestId: string;
  log: Logger;
}

/** A fresh context per operation: DataLoader caches must not outlive one request. */
export function createContext(services: Services, log: Logger, requestId: string): GraphQLContext {
  return { services, loaders: createLoaders(services), requestId, log: log.child({ requestId }) };
}
