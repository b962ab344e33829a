import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from './generated/resolvers-types.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { version } from '../version.js';
import { domainResolvers } from '../domains.js';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

/** The SDL, one file per domain, as committed in schema/. */
export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(SCHEMA_DIR, f), 'utf8'));
}

export function buildSchema(options: { inProcessWorker: boolean }): GraphQLSchema {
  const baseResolvers: Resolvers = {
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    Query: { serverInfo: () => ({ version, inProcessWorker: options.inProcessWorker }) },
  };
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [baseResolvers, ...domainResolvers()] as never,
  });
}
