import { isUuid } from '../kernel/errors.js';
import type { ArtifactRecord } from './artifact.record.js';
import type { ArtifactRepository } from './artifact.repository.js';

/**
 * Files a run produced (checkpoints, logs, a service's model id). Trainers
 * record them; the API lists them and serves the local ones for download.
 */
export class ArtifactService {
  constructor(private readonly repository: ArtifactRepository) {}

  /** Records a file a run produced; the same uri again replaces it. */
  upsert(artifact: { runId: string; kind: string; uri: string; bytes: number }): Promise<ArtifactRecord> {
    return this.repository.upsert(artifact);
  }

  ofRuns(runIds: readonly string[]): Promise<ArtifactRecord[]> {
    return this.repository.ofRuns(runIds);
  }

  /** Whether `uri` was recorded for this run: downloads serve nothing else. */
  async isArtifactOf(runId: string, uri: string): Promise<boolean> {
    return isUuid(runId) && this.repository.exists(runId, uri);
  }
}
