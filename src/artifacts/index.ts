import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { ArtifactRecord } from './artifact.record.js';
import { ArtifactRepository } from './artifact.repository.js';
import { ArtifactService } from './artifact.service.js';
import { artifactResolvers } from './artifact.resolvers.js';
import { artifactDownloadRouter } from './artifact-download.route.js';

export const artifactsDomain = defineDomain({
  name: 'artifacts',
  services: (infra) => ({ artifacts: new ArtifactService(new ArtifactRepository(infra.dataSource)) }),
  resolvers: artifactResolvers,
  loaders: ({ artifacts }) => ({
    artifacts: new DataLoader<string, ArtifactRecord[]>(async (ids) => groupBy(ids, await artifacts.ofRuns(ids), (r) => r.runId)),
  }),
  routes: ({ artifacts }, deps) => [artifactDownloadRouter({ artifacts, ...deps })],
  mappers: { Artifact: 'artifacts/artifact.record.js#ArtifactRecord' },
});
