import type { Answer } from '../graphql/generated/resolvers-types.js';

/** Allowed: resolvers name the generated resolver types. */
export const resolved: Answer = 1;
