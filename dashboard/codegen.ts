import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the dashboard, from the server's schema/ and the documents the
 * dashboard sends (the strings marked with a GraphQL comment in dashboard/src):
 * `npm run codegen:dashboard` after changing either.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  documents: ['dashboard/src/**/*.ts', '!dashboard/src/generated/**'],
  generates: {
    'dashboard/src/generated/graphql.ts': {
      plugins: ['typescript-operations'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};
export default config;
