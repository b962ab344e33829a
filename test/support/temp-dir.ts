import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary folders of one test file, all removed after its tests: a full run
 * leaves nothing behind in os.tmpdir(). The hook is registered when the file
 * imports this module (directly or through test-app.ts), so before the file's
 * own hooks; afterAll hooks run last-registered first, so this one runs after
 * them, once the apps, workers and servers that wrote into the folders stopped.
 * Importing it outside a vitest test file throws: server-process.ts and
 * graphql-client.ts, which bench/ imports too, must not.
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in os.tmpdir() whose name starts with `prefix`, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
