import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// Vite strips types without checking them, and the root tsconfig does not cover dashboard/ (DOM, bundler resolution).
it('the dashboard typechecks with its own tsconfig', async () => {
  const result = await promisify(execFile)('npx', ['tsc', '--noEmit', '-p', 'dashboard'], { timeout: 120_000 }).catch((error: { stdout: string }) => error);
  expect(result.stdout).toBe('');
});
