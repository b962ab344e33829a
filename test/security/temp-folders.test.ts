import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

/** Test runs must not fill the temporary folder: what a test app or a throwaway cluster made is gone after stop(). */
describe('temporary folders', () => {
  it('a test app removes the data folder it made', async () => {
    const app = await startTestApp();
    expect(existsSync(app.dataDir)).toBe(true);
    await app.stop();
    expect(existsSync(app.dataDir)).toBe(false);
  });

  it('a throwaway embedded cluster leaves nothing beside it (no password file)', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'epochal-throwaway-'));
    try {
      const database = await startEmbeddedPostgres({ dataDir: path.join(folder, 'pg'), persistent: false });
      await database.stop();
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
