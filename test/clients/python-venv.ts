import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The test's Python environment: <repo>/.venv-python (git-ignored; .ci/run makes it too). */
export const VENV = path.resolve('.venv-python');
export const PYTHON = path.join(VENV, 'bin', 'python');

/**
 * Makes sure the venv exists with Keras 3 and JAX (installed with pip from the
 * machine's configured index when missing), then installs ./clients/python
 * into it the way a user would, so the tests exercise the package as pip
 * builds it. Throws with pip's own words when something cannot be installed:
 * the tests that need it fail, they are never skipped.
 */
export async function preparePythonPackage(): Promise<void> {
  const pip = async (...args: string[]) => {
    try {
      await run(PYTHON, ['-m', 'pip', '--disable-pip-version-check', 'install', '-q', ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`pip install ${args.join(' ')} failed in ${VENV}; the Python client's tests need it (see .ci/run):\n${(e.stderr ?? e.message).slice(-3000)}`);
    }
  };
  if (!existsSync(PYTHON)) await run('python3', ['-m', 'venv', VENV]);
  const hasKeras = await run(PYTHON, ['-c', 'import keras, jax'], { env: { ...process.env, KERAS_BACKEND: 'jax' } }).then(() => true, () => false);
  if (!hasKeras) await pip('keras', 'jax', 'jaxlib');
  await pip('--force-reinstall', '--no-deps', './clients/python');
}
