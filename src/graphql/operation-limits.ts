import { ApolloArmor } from '@escape.tech/graphql-armor';
import { parse, specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { EpochalError } from '../kernel/errors.js';

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
  maxCost: 5_000,
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
    costLimit: { maxCost: values.maxCost },
    blockFieldSuggestion: { enabled: options.blockSuggestions },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    // graphql-armor is typed against the CommonJS build of @apollo/server; the objects are the same.
    apolloPlugins: plugins as unknown as ApolloServerPlugin<any>[],
    validationRules,
    parseOptions: { maxTokens: values.maxTokens },
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
