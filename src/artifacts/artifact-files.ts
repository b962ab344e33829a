import { realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { localPathOf } from '../kernel/served-files.js';

/**
 * Removes a deleted run's files: its own folder under the data folder
 * (<dataDir>/runs/<runId>: checkpoints, logs) and any other local artifact
 * inside the data folder. A uri a client registered outside the data folder
 * is the client's file and is left alone.
 */
export async function removeRunFiles(dataDir: string, runId: string, uris: readonly string[]): Promise<void> {
  const root = await realpath(dataDir).catch(() => path.resolve(dataDir));
  const targets = new Set<string>([path.join(root, 'runs', runId)]);
  for (const uri of uris) {
    const local = localPathOf(uri);
    if (!local) continue;
    const real = await realpath(local).catch(() => null);
    if (real && real.startsWith(root + path.sep)) targets.add(real);
  }
  for (const target of targets) await rm(target, { recursive: true, force: true });
}
