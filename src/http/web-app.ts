import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Logger } from 'pino';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DASHBOARD_DIR = path.join(projectRoot, 'dashboard');
export const DASHBOARD_DIST = path.join(DASHBOARD_DIR, 'dist');

/** Paths that belong to the API: never answered with the dashboard's index.html. */
const API_PREFIXES = ['/graphql', '/api', '/healthz', '/readyz', '/metrics'];
const isApiPath = (p: string) => API_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));

/**
 * Serves the built dashboard at `/`: hashed assets with a long cache, every
 * other GET that is not an API path gets index.html (the dashboard routes in
 * the browser, so /runs/<id> can be reloaded and shared). Mounted after
 * /graphql. When the dashboard was never built, `/` says how to build it.
 */
export function webAppMiddleware(options: { log: Logger; distDir?: string }): express.RequestHandler {
  const distDir = options.distDir ?? DASHBOARD_DIST;
  const indexFile = path.join(distDir, 'index.html');
  const assets = express.static(distDir, {
    index: false,
    setHeaders: (res, file) => {
      // Vite puts a content hash in asset names: they never change under the same name.
      if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  let warned = false;
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    assets(req, res, () => {
      // A missing asset is a 404, not the page (a stale tab asking for an old bundle).
      if (req.path.startsWith('/assets/') || !req.accepts('html')) return next();
      if (!existsSync(indexFile)) {
        if (!warned) options.log.warn({ distDir }, 'the dashboard is not built: run `npm run build`');
        warned = true;
        res.status(503).type('text').send('The dashboard is not built yet: run `npm run build` (npm start does it when dashboard/dist is missing), then reload.');
        return;
      }
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(indexFile);
    });
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dashboard/dist/index.html is missing or older than any dashboard source. */
export function dashboardIsStale(distDir = DASHBOARD_DIST): boolean {
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) return true;
  const sources = Math.max(newestMtime(path.join(DASHBOARD_DIR, 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(path.join(DASHBOARD_DIR, f)).mtimeMs));
  return statSync(indexFile).mtimeMs < sources;
}

/** Cross-process: two test files (or a test and `npm start`) must not build into the same folder at once. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = path.join(DASHBOARD_DIR, '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another dashboard build (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `vite build` in a child process (vite stays out of the server's own module graph). */
function runViteBuild(log: Logger): Promise<void> {
  const viteBin = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(viteBin)) {
    return Promise.reject(new Error('cannot build the dashboard: vite is not installed (run `npm install`), or build it elsewhere with `npm run build` and copy dashboard/dist'));
  }
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(process.execPath, [viteBin, 'build', '--config', path.join(DASHBOARD_DIR, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      log.error({ output: output.join('').slice(-4000) }, 'dashboard build failed');
      reject(new Error(`the dashboard build failed (exit ${code}): ${output.join('').trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/**
 * Builds the dashboard when dashboard/dist/index.html is missing (what
 * `npm start` needs after a fresh clone), or also when it is older than its
 * sources with `whenStale` (tests, so they never test an old bundle).
 */
export async function ensureDashboardBuilt(options: { log: Logger; whenStale?: boolean }): Promise<'built' | 'up-to-date'> {
  const needed = () => (options.whenStale ? dashboardIsStale() : !existsSync(path.join(DASHBOARD_DIST, 'index.html')));
  if (!needed()) return 'up-to-date';
  return withBuildLock(async () => {
    if (!needed()) return 'up-to-date'; // another process built it while we waited
    const started = Date.now();
    options.log.info('building the dashboard (dashboard/dist is missing or stale)');
    await runViteBuild(options.log);
    options.log.info({ ms: Date.now() - started }, 'dashboard built');
    return 'built';
  });
}
