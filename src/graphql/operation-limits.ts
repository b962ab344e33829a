import { ApolloArmor } from '@escape.tech/graphql-armor';
import { parse, specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { EpochalError } from '../kernel/errors.js';
import { MAX_SERIES_POINTS } from '../metrics/metric.service.js';
import { assertOperationCost } from './operation-cost.js';

/**
 * The largest response one operation may ask for (see operation-cost.ts): one
 * metric series at the largest maxPoints (each point an item with step and
 * value: 3), with room for the run around it. The documented largest pages
 * (images(first: 500), runs(first: 200)) cost far less, so each passes whole
 * (test/security/operation-cost.test.ts), and two full series do not.
 */
const FULL_SERIES_COST = 3 * MAX_SERIES_POINTS + 1_000;

/**
 * Per-operation limits, the same on HTTP (graphql-armor's Apollo plugins and
 * rules) and on graphql-ws (parsed and validated here with the same rules:
 * graphql-armor alone covers only HTTP).
 */
export const OPERATION_LIMITS: OperationLimitValues = {
  /** runs → edges → node → evaluation → perClass → label is 6; the dashboard goes to 8. */
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  /** Points belong in variables; a document this long is an attack, not a query. */
  maxTokens: 5_000,
  maxCost: FULL_SERIES_COST,
};

export interface OperationLimitValues {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

export interface OperationLimits {
  /** For ApolloServer's parseOptions: the token limit, enforced while parsing. */
  parseOptions: { maxTokens: number };
  apolloPlugins: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
  /** Parses and validates a WebSocket operation exactly as HTTP would. */
  parseAndValidate(schema: GraphQLSchema, query: string): DocumentNode | readonly GraphQLError[];
  /** Throws (GRAPHQL_VALIDATION_FAILED, 400) when the operation, with its variables, would cost more than maxCost. */
  assertCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): void;
  /** When true, "Did you mean …?" hints are removed from errors (they map the schema for a stranger). */
  blockSuggestions: boolean;
}

export function createOperationLimits(options: { blockSuggestions: boolean; values?: OperationLimitValues }): OperationLimits {
  const values = options.values ?? OPERATION_LIMITS;
  const armor = new ApolloArmor({
    // Introspection is exempt from depth (its own queries nest ~12 deep); fragments are followed.
    maxDepth: { n: values.maxDepth, flattenFragments: true },
    maxAliases: { n: values.maxAliases },
    maxDirectives: { n: values.maxDirectives },
    // Counted by graphql-js's own parser instead (parseOptions): its syntax error is a 400, armor's plugin error was a 500.
    maxTokens: { enabled: false },
    // Our own cost (operation-cost.ts) replaces armor's, which ignored maxPoints, variables and defaults.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.blockSuggestions },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    // graphql-armor is typed against the CommonJS build of @apollo/server; the objects are the same.
    apolloPlugins: plugins as unknown as ApolloServerPlugin<any>[],
    validationRules,
    parseOptions: { maxTokens: values.maxTokens },
    assertCost: (schema, document, operationName, variables) => assertOperationCost(schema, document, operationName, variables, values.maxCost),
    blockSuggestions: options.blockSuggestions,
    parseAndValidate(schema, query) {
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: values.maxTokens });
      } catch (error) {
        return [new EpochalError('BAD_USER_INPUT', (error as Error).message)];
      }
      const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
      return errors.length ? errors : document;
    },
  };
}

/** Removes graphql-js's "Did you mean …?" suggestions from a message. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .*\?$/s, '');
}
