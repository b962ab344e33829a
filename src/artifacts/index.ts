import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { RunService } from '../runs/run.service.js';
import type { ArtifactRecord } from './artifact.record.js';
import { ArtifactRepository } from './artifact.repository.js';
import { ArtifactService } from './artifact.service.js';
import { artifactResolvers } from './artifact.resolvers.js';
import { artifactDownloadRouter } from './artifact-download.route.js';
import { removeRunFiles } from './artifact-files.js';

export const artifactsDomain = defineDomain({
  name: 'artifacts',
  services: (infra, { runs }: { runs: RunService }) => {
    const repository = new ArtifactRepository(infra.dataSource);
    const artifacts = new ArtifactService(repository, infra.artifactStore ?? null, infra.files.dataDir);
    // A deleted run's files go after its rows are committed: a rollback cannot restore files.
    runs.onDelete(async (tx, run) => {
      const uris = (await repository.ofRuns([run.id], tx)).map((a) => a.uri);
      return async () => {
        await removeRunFiles(infra.files.dataDir, run.id, uris).catch((error) => infra.log.warn({ err: error, runId: run.id }, 'could not remove a deleted run\'s files'));
        await artifacts.removeCopies(uris).catch((error) => infra.log.warn({ err: error, runId: run.id }, 'could not remove downloaded copies'));
        if (infra.artifactStore && uris.some((uri) => infra.artifactStore!.owns(uri))) {
          await infra.artifactStore.removeRun(run.id).catch((error) => infra.log.warn({ err: error, runId: run.id }, 'could not remove a deleted run\'s stored artifacts'));
        }
      };
    });
    return { artifacts };
  },
  resolvers: artifactResolvers,
  loaders: ({ artifacts }) => ({
    artifacts: new DataLoader<string, ArtifactRecord[]>(async (ids) => groupBy(ids, await artifacts.ofRuns(ids), (r) => r.runId)),
  }),
  routes: ({ artifacts }, deps) => [artifactDownloadRouter({ artifacts, ...deps })],
  mappers: { Artifact: 'artifacts/artifact.record.js#ArtifactRecord' },
});
