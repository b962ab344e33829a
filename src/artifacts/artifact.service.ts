import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactStore } from '../kernel/artifact-store.js';
import { isUuid } from '../kernel/errors.js';
import { localPathOf } from '../kernel/served-files.js';
import type { ArtifactRecord } from './artifact.record.js';
import type { ArtifactRepository } from './artifact.repository.js';

/**
 * Files a run produced (checkpoints, logs, a service's model id). Trainers
 * record them; the API lists them and serves them for download. With an
 * object store configured, recorded files are uploaded there, so an API on
 * another machine than the worker can serve, deploy and delete them.
 */
export class ArtifactService {
  constructor(
    private readonly repository: ArtifactRepository,
    readonly store: ArtifactStore | null = null,
    private readonly dataDir: string = '.',
  ) {}

  /** Records a file a run produced; the same uri again replaces it. */
  upsert(artifact: { runId: string; kind: string; uri: string; bytes: number }): Promise<ArtifactRecord> {
    return this.repository.upsert(artifact);
  }

  /** Records a local file or folder a worker wrote: uploaded to the object store when there is one, else kept as a file:// uri. */
  async record(artifact: { runId: string; kind: string; path: string; bytes: number }): Promise<ArtifactRecord> {
    const uri = this.store ? await this.store.put(artifact.path, artifact.runId, path.basename(artifact.path)) : pathToFileURL(artifact.path).href;
    return this.repository.upsert({ runId: artifact.runId, kind: artifact.kind, uri, bytes: artifact.bytes });
  }

  /**
   * A local path for an artifact: a file:// uri as it is, a stored one
   * downloaded once into <dataDir>/artifact-cache (whole, then renamed into
   * place, so a crash never leaves half a model there).
   */
  async localCopy(uri: string): Promise<string> {
    if (this.store?.owns(uri)) {
      const dir = this.cacheDirOf(uri);
      const done = await stat(dir).then(() => true, () => false);
      if (!done) {
        const partial = `${dir}.${randomUUID()}.partial`;
        await mkdir(partial, { recursive: true });
        try {
          await this.store.fetch(uri, partial);
          await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
            // Another caller finished first: theirs is as good.
            if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
          });
        } finally {
          await rm(partial, { recursive: true, force: true });
        }
      }
      return uri.endsWith('/') ? dir : path.join(dir, path.posix.basename(uri));
    }
    const local = localPathOf(uri);
    if (!local) throw new Error(`the artifact ${uri} is neither a local file nor in the configured object store`);
    return local;
  }

  /** Removes this process's downloaded copies of these artifacts (a deleted run's). */
  async removeCopies(uris: readonly string[]): Promise<void> {
    for (const uri of uris) if (this.store?.owns(uri)) await rm(this.cacheDirOf(uri), { recursive: true, force: true });
  }

  private cacheDirOf(uri: string): string {
    return path.join(this.dataDir, 'artifact-cache', createHash('sha256').update(uri).digest('hex').slice(0, 32));
  }

  ofRuns(runIds: readonly string[]): Promise<ArtifactRecord[]> {
    return this.repository.ofRuns(runIds);
  }

  /** Whether `uri` was recorded for this run: downloads serve nothing else. */
  async isArtifactOf(runId: string, uri: string): Promise<boolean> {
    return isUuid(runId) && this.repository.exists(runId, uri);
  }
}
