import path from 'node:path';
import { realpathSync, mkdirSync } from 'node:fs';
import { z } from 'zod';
import { OPERATION_LIMITS, type OperationLimitValues } from './graphql/operation-limits.js';
import { normalizeOrigin } from './http/request-origin.js';
import type { S3StoreSettings } from './storage/s3-artifact-store.js';

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  EPOCHAL_DATA_DIR: z.string().default('./.epochal'),
  /** Folders importDataset may read, separated by the platform's path delimiter (":" here). */
  EPOCHAL_IMPORT_ROOTS: z.string().optional(),
  EPOCHAL_WORKER: z.enum(['on', 'off']).default('on'),
  EPOCHAL_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** on | off | auto: auto turns it off only for the embedded database on a loopback address. */
  EPOCHAL_AUTH: z.enum(['on', 'off', 'auto']).default('auto'),
  /** Operations per second per API key; 0 turns the limit off. Default: 50 when auth is on, else off. */
  EPOCHAL_RATE_LIMIT: z.coerce.number().min(0).optional(),
  EPOCHAL_RATE_BURST: z.coerce.number().int().min(1).default(200),
  EPOCHAL_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(50),
  EPOCHAL_MAX_CONNECTIONS_PER_KEY: z.coerce.number().int().min(1).default(100),
  /** The address users reach this server at (e.g. https://epochal.example.org): its origin and host are accepted. */
  EPOCHAL_PUBLIC_URL: z.string().url().optional(),
  /** More origins (comma-separated) whose pages may call the API; their hosts are accepted as Host too. */
  EPOCHAL_ALLOWED_ORIGINS: z.string().optional(),
  /** Request bodies; a 10,000-point batch is about 1 MB of JSON. */
  EPOCHAL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  /** local (default): artifacts are files in EPOCHAL_DATA_DIR; s3: in EPOCHAL_S3_BUCKET under EPOCHAL_S3_PREFIX (docs/deployments.md). */
  EPOCHAL_ARTIFACT_STORE: z.enum(['local', 's3']).default('local'),
  EPOCHAL_S3_BUCKET: z.string().optional(),
  EPOCHAL_S3_PREFIX: z.string().default('epochal/').transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`)),
  EPOCHAL_S3_FORCE_PATH_STYLE: z.string().optional(),
  AWS_ENDPOINT_URL_S3: z.string().url().optional(),
  AWS_REGION: z.string().optional(),
  /** USD per hour of a machine training TFJS runs; compareRuns prices TFJS runs with it. Unset: no price. */
  EPOCHAL_MACHINE_USD_PER_HOUR: z.coerce.number().min(0).optional(),
});

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  importRoots: string[];
  inProcessWorker: boolean;
  embeddedPostgresPort: number;
  authRequired: boolean;
  /** Why auth is on or off, for the log. */
  authReason: string;
  rateLimit: { perSecond: number; burst: number };
  socketLimits: { maxSubscriptionsPerConnection: number; maxConnectionsPerKey: number };
  maxBodyBytes: number;
  /**
   * Origins (scheme://host[:port]) besides the server's own loopback ones whose pages may call it, and
   * whose hosts are accepted in Host: EPOCHAL_PUBLIC_URL's and EPOCHAL_ALLOWED_ORIGINS (src/http/request-origin.ts).
   */
  allowedOrigins: string[];
  /** Depth, aliases, directives, tokens and cost per operation (see src/graphql/operation-limits.ts). */
  operationLimits: OperationLimitValues;
  /** How often each process fails silent EXTERNAL runs (default 30 s; see src/runs/silent-run-sweeper.ts). */
  silentRunSweepMs?: number;
  /** The object store artifacts go to; null or absent: local files. */
  artifactStore?: S3StoreSettings | null;
  /** EPOCHAL_MACHINE_USD_PER_HOUR; null or absent: TFJS runs are not priced. */
  machineUsdPerHour?: number | null;
  /** The settings trainers' availability is read from (EPOCHAL_S3_BUCKET, ...); default process.env. */
  env?: NodeJS.ProcessEnv;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** Auth is required unless turned off, or the embedded database is reached on a loopback address only. */
function resolveAuth(mode: 'on' | 'off' | 'auto', host: string, databaseUrl: string | undefined): { required: boolean; reason: string } {
  if (mode === 'on') return { required: true, reason: 'EPOCHAL_AUTH=on' };
  if (mode === 'off') return { required: false, reason: 'EPOCHAL_AUTH=off' };
  if (!databaseUrl && isLoopback(host)) return { required: false, reason: `embedded database on loopback ${host} (set EPOCHAL_AUTH=on to require keys)` };
  return { required: true, reason: databaseUrl ? 'DATABASE_URL is set' : `listening on ${host}, not loopback` };
}

function allowedOrigins(publicUrl: string | undefined, more: string | undefined): string[] {
  const listed = [publicUrl, ...(more ?? '').split(',')].map((o) => o?.trim()).filter((o): o is string => !!o);
  const bad = listed.filter((o) => !normalizeOrigin(o));
  if (bad.length) throw new Error(`invalid configuration: EPOCHAL_PUBLIC_URL / EPOCHAL_ALLOWED_ORIGINS: not an http(s) URL: ${bad.join(', ')}`);
  return [...new Set(listed.map((o) => normalizeOrigin(o)!))];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.EPOCHAL_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const roots = (e.EPOCHAL_IMPORT_ROOTS ?? process.cwd()).split(path.delimiter).filter(Boolean);
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    importRoots: roots.flatMap((root) => {
      try {
        return [realpathSync(path.resolve(root))];
      } catch {
        return []; // a root that does not exist allows nothing
      }
    }),
    inProcessWorker: e.EPOCHAL_WORKER === 'on',
    embeddedPostgresPort: e.EPOCHAL_PG_PORT,
    ...(() => {
      const auth = resolveAuth(e.EPOCHAL_AUTH, e.HOST, e.DATABASE_URL);
      return {
        authRequired: auth.required,
        authReason: auth.reason,
        rateLimit: { perSecond: e.EPOCHAL_RATE_LIMIT ?? (auth.required ? 50 : 0), burst: e.EPOCHAL_RATE_BURST },
      };
    })(),
    socketLimits: { maxSubscriptionsPerConnection: e.EPOCHAL_MAX_SUBSCRIPTIONS_PER_CONNECTION, maxConnectionsPerKey: e.EPOCHAL_MAX_CONNECTIONS_PER_KEY },
    maxBodyBytes: e.EPOCHAL_MAX_BODY_BYTES,
    allowedOrigins: allowedOrigins(e.EPOCHAL_PUBLIC_URL, e.EPOCHAL_ALLOWED_ORIGINS),
    operationLimits: OPERATION_LIMITS,
    machineUsdPerHour: e.EPOCHAL_MACHINE_USD_PER_HOUR ?? null,
    env,
    artifactStore: artifactStoreOf(e),
  };
}

function artifactStoreOf(e: z.output<typeof envSchema>): S3StoreSettings | null {
  if (e.EPOCHAL_ARTIFACT_STORE === 'local') return null;
  if (!e.EPOCHAL_S3_BUCKET) throw new Error('invalid configuration: EPOCHAL_ARTIFACT_STORE=s3 needs EPOCHAL_S3_BUCKET (and EPOCHAL_S3_PREFIX, default epochal/)');
  return {
    bucket: e.EPOCHAL_S3_BUCKET,
    prefix: e.EPOCHAL_S3_PREFIX,
    region: e.AWS_REGION ?? null,
    endpoint: e.AWS_ENDPOINT_URL_S3 ?? null,
    forcePathStyle: ['true', '1', 'yes', 'on'].includes((e.EPOCHAL_S3_FORCE_PATH_STYLE ?? '').toLowerCase()),
  };
}
