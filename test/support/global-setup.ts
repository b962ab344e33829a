import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when given, else an embedded
 * cluster in a temporary folder. Each test file creates its own database in it
 * (see test/support/database.ts), so files never see each other's rows.
 */
let embedded: EmbeddedDatabase | undefined;
let folder: string | undefined;

export async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    folder = mkdtempSync(path.join(os.tmpdir(), 'epochal-test-'));
    const dataDir = path.join(folder, 'pg');
    embedded = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'postgres' });
    url = embedded.url;
  }
  project.provide('adminDatabaseUrl', url);
}

export async function teardown() {
  await embedded?.stop();
  // The cluster (persistent: false) is gone with stop(); its folder goes too.
  if (folder) rmSync(folder, { recursive: true, force: true });
}
