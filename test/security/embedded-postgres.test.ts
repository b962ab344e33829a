import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { removeEmbeddedCluster, resolveClusterDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';

/**
 * The embedded PostgreSQL's superuser can run programs as the postgres OS user
 * (COPY … TO PROGRAM): a password any local user could guess gave that away.
 */
const folder = mkdtempSync(path.join(os.tmpdir(), 'epochal-embedded-'));
const dataDir = path.join(folder, 'pg');
let database: EmbeddedDatabase | undefined;

afterAll(async () => {
  await database?.stop();
  if (removeEmbeddedCluster(dataDir)) rmSync(folder, { recursive: true, force: true });
});

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** Whether the superuser gets in with this password (false on "password authentication failed"). */
async function accepts(url: string, password: string): Promise<boolean> {
  const target = new URL(url);
  target.password = encodeURIComponent(password);
  const client = new pg.Client({ connectionString: target.toString() });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL superuser', () => {
  it('gets a random password per data folder, kept readable by this user only, and reused at the next start', async () => {
    database = await startEmbeddedPostgres({ dataDir });
    const password = passwordOf(database.url);
    expect(password).not.toBe('epochal');
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(await accepts(database.url, 'epochal')).toBe(false);
    const file = `${resolveClusterDir(dataDir).dir}.password`;
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await database.stop();
    database = await startEmbeddedPostgres({ dataDir });
    expect(passwordOf(database.url)).toBe(password);
    expect((await query<{ n: number }>(database.url, 'SELECT 1 AS n'))[0].n).toBe(1);
  });

  it('listens on loopback only, with no Unix socket', async () => {
    const [{ listen_addresses }] = await query<{ listen_addresses: string }>(database!.url, 'SHOW listen_addresses');
    const [{ unix_socket_directories }] = await query<{ unix_socket_directories: string }>(database!.url, 'SHOW unix_socket_directories');
    expect(listen_addresses).toBe('127.0.0.1');
    expect(unix_socket_directories).toBe('');
  });

  it('replaces the fixed password of a cluster made by an older version', async () => {
    // What an older version left: the superuser's password 'epochal' and no password file.
    await query(database!.url, `ALTER ROLE postgres PASSWORD 'epochal'`);
    await database!.stop();
    rmSync(`${resolveClusterDir(dataDir).dir}.password`);
    database = await startEmbeddedPostgres({ dataDir });
    expect(passwordOf(database.url)).not.toBe('epochal');
    expect(await accepts(database.url, 'epochal')).toBe(false);
    expect(existsSync(`${resolveClusterDir(dataDir).dir}.password`)).toBe(true);
  });
});
