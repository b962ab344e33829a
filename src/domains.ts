import type { Router } from 'express';
import type { DomainModule, Infrastructure, RouteDeps } from './kernel/domain-module.js';
import { datasetsDomain } from './datasets/index.js';
import { projectsDomain } from './projects/index.js';
import { runsDomain } from './runs/index.js';
import { metricsDomain } from './metrics/index.js';
import { evaluationsDomain } from './evaluations/index.js';
import { artifactsDomain } from './artifacts/index.js';
import { eventsDomain } from './events/index.js';
import { trainingDomain } from './training/index.js';
import { authDomain } from './auth/index.js';
import { mlflowDomain } from './mlflow/index.js';
import { studiesDomain } from './studies/index.js';
import { deploymentsDomain } from './deployments/index.js';

/**
 * Every domain, once: the one place to touch to add one. A domain's services
 * may use those of the domains before it, so the order is the build order.
 * The server, the worker, the schema and codegen all loop over this list.
 */
export const domains = [
  datasetsDomain, projectsDomain, runsDomain, metricsDomain, evaluationsDomain, artifactsDomain, eventsDomain, trainingDomain, studiesDomain, authDomain, mlflowDomain,
  deploymentsDomain,
] as const;

type EachDomain = (typeof domains)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Provided<F> = F extends (...args: never[]) => infer R ? R : never;

/** The domain services, shared by the API and the workers so both follow the same rules. */
export type Services = UnionToIntersection<Provided<NonNullable<EachDomain['services']>>>;
/** Every domain's DataLoaders, as field resolvers find them in the GraphQL context. */
export type Loaders = UnionToIntersection<Provided<NonNullable<EachDomain['loaders']>>>;

const each = domains as readonly DomainModule<object, object, object>[];

export function createServices(infra: Infrastructure): Services {
  const services: object = {};
  for (const domain of each) Object.assign(services, domain.services?.(infra, services));
  return services as Services;
}

/** Fresh per operation: a DataLoader's cache must not outlive one request. */
export function createLoaders(services: Services): Loaders {
  const loaders: object = {};
  for (const domain of each) Object.assign(loaders, domain.loaders?.(services));
  return loaders as Loaders;
}

export function domainResolvers(): object[] {
  return each.flatMap((domain) => (domain.resolvers ? [domain.resolvers] : []));
}

export function domainRoutes(services: Services, deps: RouteDeps): Router[] {
  return each.flatMap((domain) => domain.routes?.(services, deps) ?? []);
}

/** codegen's mappers: GraphQL type → TypeScript model, paths from src/. */
export function domainMappers(): Record<string, string> {
  return Object.assign({}, ...each.map((domain) => domain.mappers ?? {}));
}
