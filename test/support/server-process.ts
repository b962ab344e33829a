import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { removeEmbeddedCluster } from '../../src/db/embedded-postgres.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process logged so far. */
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm start`'s entrypoint as a separate OS process on port 0, against `databaseUrl`. */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}, entry = 'src/main.ts'): Promise<ServerProcess> {
  let output = '';
  const inherited = { ...process.env };
  if (!databaseUrl) delete inherited.DATABASE_URL;
  // As a user's `npm start` runs: not vitest's NODE_ENV=test, which changes what libraries do
  // (Apollo installs its own signal handlers only outside it).
  delete inherited.NODE_ENV;
  const dataDir = env.EPOCHAL_DATA_DIR || mkdtempSync(path.join(os.tmpdir(), 'epochal-proc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...inherited,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PORT: '0',
      EPOCHAL_WORKER: 'off',
      EPOCHAL_AUTH: 'off',
      EPOCHAL_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (!env.EPOCHAL_DATA_DIR) removeDataDir(dataDir);
      return code;
    },
  };
}

/** A server's data folder, with its embedded cluster, once no PostgreSQL runs on it: each is tens of MB. */
function removeDataDir(dataDir: string): void {
  if (removeEmbeddedCluster(path.join(dataDir, 'postgres'))) rmSync(dataDir, { recursive: true, force: true });
}
