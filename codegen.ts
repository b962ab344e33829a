import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types from schema/: `npm run codegen` after changing any .graphql file. */
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
        mappers: {
          Dataset: '../../datasets/dataset.entity.js#DatasetRecord',
          DatasetImage: '../../datasets/dataset.entity.js#DatasetImageRecord',
          Run: '../../runs/run.entity.js#RunRecord',
          RunConnection: '../../runs/run.service.js#RunPage',
          Epoch: '../../metrics/metric.entity.js#EpochRecord',
          MetricPoint: '../../metrics/metric.entity.js#MetricPointRecord',
          MetricSeries: '../../metrics/metric.service.js#MetricSeries',
          Evaluation: '../../evaluations/evaluation.entity.js#EvaluationRecord',
          RunComparison: '../../evaluations/evaluation.service.js#RunComparison',
          Artifact: '../../artifacts/artifact.entity.js#ArtifactRecord',
          ApiKey: '../../auth/api-key.entity.js#ApiKeyRecord',
          MetricsLogged: '../../events/run-event.js#RunEvent',
          EpochCompleted: '../../events/run-event.js#RunEvent',
          StatusChanged: '../../events/run-event.js#RunEvent',
          RunNote: '../../events/run-event.js#RunEvent',
        },
      },
    },
  },
};
export default config;
