import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { header, goal, median, fmt, sleep } from './support.js';
import { resolveClusterDir } from '../src/db/embedded-postgres.js';

/**
 * Footprint: `npm start` with no DATABASE_URL (the embedded PostgreSQL) in a
 * fresh data folder (initdb included): time from spawning `npm start` to the
 * first answered query,
 * and the server's idle memory (RSS of the Node process, and of the whole
 * process tree with PostgreSQL). Baseline in the same run: a bare `node -e`
 * started the same way, i.e. what starting any Node process costs here.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `root` and every process below it. */
function descendants(root: number): number[] {
  const all: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    all.push(pid);
    stack.push(...childrenOf(pid));
  }
  return all;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** RSS of the server's Node process and of the whole tree under `npm start` (npm, tsx, node, postgres). */
function treeRssMb(rootPid: number): { node: number; tree: number } {
  let tree = 0;
  let node = 0;
  for (const pid of descendants(rootPid)) {
    try {
      const size = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      tree += size;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('src/main.ts') && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('.bin/tsx')) node = Math.max(node, size);
    } catch {
      // exited meanwhile
    }
  }
  return { node, tree };
}

async function startOnce(dataDir: string, port: number): Promise<{ ms: number; rss: { node: number; tree: number } }> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, EPOCHAL_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', EPOCHAL_WORKER: 'off', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  let ms = Number.NaN;
  try {
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        if (response.ok) {
          ms = performance.now() - started;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    if (!Number.isFinite(ms)) throw new Error(`npm start did not answer:\n${output.slice(-2000)}`);
    await sleep(3_000); // idle: startup garbage collected, pools settled
    return { ms, rss: treeRssMb(child.pid!) };
  } finally {
    // npm → tsx → node → postgres: stop every process of the tree by pid (they need not share a group),
    // politely first so the embedded cluster shuts down cleanly, then for good after 10 s.
    const pids = descendants(child.pid!);
    const alive = () => pids.filter((pid) => existsSync(`/proc/${pid}`));
    for (const pid of pids) signal(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive().length > 0; i++) await sleep(100);
    for (const pid of alive()) signal(pid, 'SIGKILL');
    await exited;
  }
}

export async function benchFootprint(): Promise<void> {
  header('footprint: npm start with the embedded PostgreSQL');
  const bare: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await new Promise((resolve) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).once('exit', resolve));
    bare.push(performance.now() - started);
  }
  const fresh: number[] = [];
  const nodeRss: number[] = [];
  const treeRss: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-footprint-'));
    try {
      const run = await startOnce(dataDir, 4600 + i);
      fresh.push(run.ms);
      nodeRss.push(run.rss.node);
      treeRss.push(run.rss.tree);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      // As root the cluster lives under /var/lib/epochal (see src/db/embedded-postgres.ts).
      const { dir, relocated } = resolveClusterDir(path.join(dataDir, 'postgres'));
      if (relocated) rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`  bare node start (baseline): ${fmt(median(bare))} ms`);
  console.log(`  npm start → first answer, fresh folder (initdb included): ${fmt(median(fresh))} ms = ${fmt(median(fresh) / median(bare), 1)}× the baseline  [${fresh.map((x) => fmt(x, 0)).join(', ')}]`);
  console.log(`  idle RSS: server (Node) ${fmt(median(nodeRss), 0)} MB; with npm and the embedded PostgreSQL ${fmt(median(treeRss), 0)} MB`);
  goal('footprint measured (no numeric goal in the issue)', Number.isFinite(median(fresh)), `${fmt(median(fresh) / 1000, 2)} s to first answer, ${fmt(median(nodeRss), 0)} MB idle`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFootprint();
