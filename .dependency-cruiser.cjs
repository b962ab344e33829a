/**
 * The layers of src/ (docs/architecture.md), read bottom-up; an import only
 * ever points down. `npm test` runs this check first (`npm run boundaries`).
 *   kernel → domains → trainers → transport (graphql/, http/) → entry points
 * db/, pubsub/ and queue/ are the adapters behind the kernel's ports; only
 * entry points wire them in. src/domains.ts and src/trainers/index.ts are the
 * two registration lists.
 */
const DOMAINS = '^src/(datasets|runs|metrics|evaluations|artifacts|events|training|auth|deployments)/';
const TRANSPORT_BUT_GENERATED_TYPES = { path: '^src/(graphql|http)/', pathNot: '^src/graphql/generated/' };

module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-a-layer-above',
      comment: 'The kernel (errors, validation, SQL helpers, event vocabulary, ports) knows no domain, trainer or transport.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'domain-imports-transport',
      comment: 'Domains know nothing of GraphQL servers or HTTP; resolvers may import the generated resolver types only.',
      severity: 'error',
      from: { path: DOMAINS },
      to: TRANSPORT_BUT_GENERATED_TYPES,
    },
    {
      name: 'domain-imports-a-trainer',
      comment: 'Trainers call domain services, never the reverse: the API and workers get trainers through src/trainers/index.ts.',
      severity: 'error',
      from: { path: DOMAINS },
      to: { path: '^src/trainers/' },
    },
    {
      name: 'domain-imports-an-adapter-or-entry-point',
      comment: 'Domains reach the database, events and queue through kernel ports; only entry points pick the adapters.',
      severity: 'error',
      from: { path: DOMAINS },
      to: { path: '^src/(db|pubsub|queue|storage|cli)/|^src/(bootstrap|main|worker|config)\\.ts$' },
    },
    {
      name: 'domain-uses-the-registry-at-run-time',
      comment: 'A domain may name the Services type of src/domains.ts, but not import the list itself (a cycle).',
      severity: 'error',
      from: { path: DOMAINS },
      to: { path: '^src/(domains|trainers/index)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'trainer-imports-transport',
      comment: 'Trainers train, evaluate and predict through domain services; they never see GraphQL or HTTP.',
      severity: 'error',
      from: { path: '^src/trainers/' },
      to: TRANSPORT_BUT_GENERATED_TYPES,
    },
    {
      name: 'adapter-imports-a-layer-above',
      comment: 'db/, pubsub/ and queue/ implement kernel ports; they know no domain, trainer or transport.',
      severity: 'error',
      from: { path: '^src/(db|pubsub|queue|storage)/' },
      to: { path: '^src/', pathNot: '^src/(kernel|db|pubsub|queue|storage)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'src/graphql/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
