import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ArtifactService } from '../artifacts/artifact.service.js';
import type { RunRecord } from '../runs/run.record.js';
import { doesNotExist, invalidParameter } from './mlflow-errors.js';
import type { MlflowService } from './mlflow.service.js';

/**
 * MLflow's proxied artifact store (`mlflow-artifacts:/<experiment>/<run>/artifacts/<path>`)
 * over Epochal's: files land in the run's folder, <dataDir>/runs/<run>/artifacts/,
 * where trainers keep theirs, and are recorded as the run's artifacts, so
 * Run.artifacts lists them and /api/runs/:id/artifacts/download serves them.
 */
export class MlflowArtifacts {
  constructor(
    private readonly mlflow: MlflowService,
    private readonly artifacts: ArtifactService,
    private readonly dataDir: string,
  ) {}

  /** The run and the file's path inside its artifacts from `<experiment>/<run>/artifacts/<path>`. */
  async locate(artifactPath: string): Promise<{ run: RunRecord; relative: string }> {
    const parts = artifactPath.split('/').filter((p) => p.length > 0);
    if (parts.length < 3 || parts[2] !== 'artifacts') throw invalidParameter(`artifact path "${artifactPath}" must look like <experiment_id>/<run_id>/artifacts/<path>`);
    const run = await this.mlflow.requireRun({ run_id: parts[1] });
    const relative = parts.slice(3).join('/');
    if (parts.slice(3).some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) {
      throw invalidParameter(`artifact path "${artifactPath}" must not contain ".", ".." or backslashes`);
    }
    return { run, relative };
  }

  private rootOf(run: RunRecord): string {
    return path.join(this.dataDir, 'runs', run.id, 'artifacts');
  }

  /** Writes the body to a temporary file and renames it into place: a reader never sees half a file. */
  async upload(artifactPath: string, body: Readable): Promise<void> {
    const { run, relative } = await this.locate(artifactPath);
    if (!relative) throw invalidParameter('an artifact upload needs a file name after <experiment_id>/<run_id>/artifacts/');
    const file = path.join(this.rootOf(run), relative);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    const { size } = await stat(file);
    await this.artifacts.upsert({ runId: run.id, kind: 'file', uri: file, bytes: size });
  }

  /** The local file of a recorded artifact, for download. */
  async fileOf(artifactPath: string): Promise<string> {
    const { run, relative } = await this.locate(artifactPath);
    const file = path.join(this.rootOf(run), relative);
    if (!relative || !(await this.artifacts.isArtifactOf(run.id, file))) throw doesNotExist(`No artifact ${relative} in run ${run.id}`);
    return file;
  }

  /** The direct children of `relative` among the run's uploaded artifacts; folders are implied by paths. */
  async list(run: RunRecord, relative: string): Promise<{ path: string; is_dir: boolean; file_size?: number }[]> {
    const root = this.rootOf(run) + path.sep;
    const prefix = relative ? `${relative.replace(/\/+$/, '')}/` : '';
    const children = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
    for (const artifact of await this.artifacts.ofRuns([run.id])) {
      if (!artifact.uri.startsWith(root)) continue;
      const inside = artifact.uri.slice(root.length).split(path.sep).join('/');
      if (!inside.startsWith(prefix)) continue;
      const [name, ...deeper] = inside.slice(prefix.length).split('/');
      const child = prefix + name;
      children.set(child, deeper.length ? { path: child, is_dir: true } : { path: child, is_dir: false, file_size: artifact.bytes });
    }
    return [...children.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
