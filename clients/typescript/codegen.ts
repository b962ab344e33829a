import type { CodegenConfig } from '@graphql-codegen/cli';

/** Types for the TypeScript client, from the server's schema/ and the client's own operations. */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  documents: 'clients/typescript/operations.graphql',
  generates: {
    'clients/typescript/generated/graphql.ts': {
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
