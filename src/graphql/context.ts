import type { Logger } from 'pino';
import { createLoaders, type Loaders, type Services } from '../domains.js';
import type { Principal } from '../auth/api-key.service.js';
import type { Metrics } from '../http/prometheus-metrics.js';

export interface GraphQLContext {
  services: Services;
  loaders: Loaders;
  requestId: string;
  log: Logger;
  /** Who is calling; null only while an operation is being refused for want of a key. */
  principal: Principal | null;
  /** The peer's address (`addr:…`, from the socket, never a header): rate limits key on it without a key. */
  caller: string;
  metrics: Metrics;
}

export interface ContextDeps {
  services: Services;
  log: Logger;
  metrics: Metrics;
}

/** A fresh context per operation: DataLoader caches must not outlive one request. */
export function createContext(deps: ContextDeps, requestId: string, principal: Principal | null, caller: string): GraphQLContext {
  return { services: deps.services, metrics: deps.metrics, loaders: createLoaders(deps.services), requestId, log: deps.log.child({ requestId }), principal, caller };
}
