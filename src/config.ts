import path from 'node:path';
import { realpathSync, mkdirSync } from 'node:fs';
import { z } from 'zod';

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  EPOCHAL_DATA_DIR: z.string().default('./.epochal'),
  /** Folders importDataset may read, separated by the platform's path delimiter (":" here). */
  EPOCHAL_IMPORT_ROOTS: z.string().optional(),
  EPOCHAL_WORKER: z.enum(['on', 'off']).default('on'),
  EPOCHAL_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  importRoots: string[];
  inProcessWorker: boolean;
  embeddedPostgresPort: number;
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
  };
}
