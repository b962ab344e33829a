import type { CodegenConfig } from '@graphql-codegen/cli';
import { domainMappers } from './src/domains.js';

/** Resolver types from schema/: `npm run codegen` after changing any .graphql file. */
const mappers = Object.fromEntries(Object.entries(domainMappers()).map(([type, model]) => [type, `../../${model}`]));

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/graphql/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: false,
        useTypeImports: true,
        mapperTypeSuffix: 'Model',
        enumsAsTypes: true,
        contextType: '../context.js#GraphQLContext',
        scalars: { DateTime: 'Date', JSON: 'unknown' },
        // Each domain names its own models (src/<domain>/index.ts); the list is src/domains.ts.
        mappers,
      },
    },
  },
};
export default config;
