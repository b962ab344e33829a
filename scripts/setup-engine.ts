/**
 * `npm run setup-engine` (also run after `npm install` / `npm ci` and by CI):
 * makes @tensorflow/tfjs-node, the native CPU engine, usable where it can be.
 *
 * 1. Already loads: nothing to do (idempotent; about a second).
 * 2. Its own install (downloads libtensorflow 2.9.1 and a prebuilt addon):
 *    works wherever that download does.
 * 3. Else a TensorFlow CPU wheel through pip's configured index (PyPI, or a
 *    local mirror): its libtensorflow_cc.so.2 exports the C API the binding
 *    calls, so the binding is built against it with node-gyp and this
 *    machine's Node headers (docs/training.md, "Engines").
 * 4. Else training stays on WASM, and this says why.
 *
 * It downloads nothing but those two, says so before each, and never fails an
 * install: `--from-install` exits 0 whatever happens. EPOCHAL_SKIP_ENGINE_SETUP=1
 * skips it; EPOCHAL_TENSORFLOW_WHEEL=<file.whl> uses a wheel already on disk.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const TENSORFLOW_WHEEL = process.env.EPOCHAL_TENSORFLOW_PIP_SPEC ?? 'tensorflow-cpu==2.21.0';
/** What the binding includes from the wheel's headers, and what those include. */
const HEADER_DIRS = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/', 'xla/tsl/'];
/** The file tfjs-node's own install looks for before downloading its libtensorflow. */
const LIB_NAMES = ['libtensorflow.so', 'libtensorflow.so.2', 'libtensorflow.so.2.9.1'];

const fromInstall = process.argv.includes('--from-install');
const run = promisify(execFile);
const say = (line: string) => console.log(`[setup-engine] ${line}`);

/** The tfjs-node package folder, or null where npm did not install it. */
function packageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return null;
  }
}

/** Whether tfjs-node loads in a fresh process, and its TensorFlow version or why not. */
async function probe(): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  const script = `const tf = require('@tensorflow/tfjs-node'); console.log(JSON.stringify({ backend: tf.getBackend(), tf: tf.version.tfjs, lib: tf.backend().binding.TF_Version }))`;
  try {
    const { stdout } = await run(process.execPath, ['-e', script], { timeout: 120_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    const line = stdout.trim().split('\n').pop() ?? '';
    const info = JSON.parse(line) as { backend: string; tf: string; lib: string };
    if (info.backend !== 'tensorflow') return { ok: false, reason: `its backend is "${info.backend}", not "tensorflow"` };
    return { ok: true, version: `tfjs ${info.tf}, libtensorflow ${info.lib}` };
  } catch (error) {
    const text = error instanceof Error ? ((error as { stderr?: string }).stderr || error.message) : String(error);
    const lines = text.split('\n').map((l) => l.trim());
    const line = lines.find((l) => /^\w*Error: /.test(l)) ?? lines.find((l) => /cannot|not found/i.test(l)) ?? lines[0];
    return { ok: false, reason: line.trim().slice(0, 300) };
  }
}

/** Runs a command, its output shown (indented) as it goes; resolves whether it exited 0. */
function step(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, '    '));
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', (error) => {
      say(`could not start ${command}: ${error.message}`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

/** The folder holding include/node/node.h for this Node, so node-gyp downloads no headers. */
function nodeHeadersDir(): string | null {
  const candidates = [path.resolve(process.execPath, '..', '..'), '/usr', '/usr/local'];
  return candidates.find((dir) => existsSync(path.join(dir, 'include', 'node', 'node.h'))) ?? null;
}

/** npm's own node-gyp (node-pre-gyp looks for it through npm_config_node_gyp). */
function nodeGypPath(): string | null {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const npmDir = process.env.npm_execpath ? path.resolve(process.env.npm_execpath, '..', '..') : path.resolve(process.execPath, '..', '..', 'lib', 'node_modules', 'npm');
  const candidate = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(candidate) ? candidate : null;
}

async function python(): Promise<string | null> {
  for (const candidate of [process.env.EPOCHAL_PYTHON, 'python3', 'python'].filter(Boolean) as string[]) {
    try {
      await run(candidate, ['-m', 'pip', '--version'], { timeout: 30_000 });
      return candidate;
    } catch {
      // next candidate
    }
  }
  return null;
}

/** tfjs-node's own install: its libtensorflow download, then a prebuilt addon or a build. */
async function ownInstall(dir: string): Promise<boolean> {
  say(`trying @tensorflow/tfjs-node's own install (downloads libtensorflow 2.9.1 from its usual host)`);
  return step(process.execPath, ['scripts/install.js'], { cwd: dir });
}

/** The wheel: EPOCHAL_TENSORFLOW_WHEEL, or `pip download` into `into`. */
async function wheel(into: string): Promise<string | null> {
  const given = process.env.EPOCHAL_TENSORFLOW_WHEEL;
  if (given) return existsSync(given) ? given : (say(`EPOCHAL_TENSORFLOW_WHEEL=${given} does not exist`), null);
  const py = await python();
  if (!py) return (say('no python3 with pip here, so no TensorFlow wheel'), null);
  say(`downloading the ${TENSORFLOW_WHEEL} wheel through pip's configured index (about 270 MB; only its libraries and C headers are kept)`);
  if (!(await step(py, ['-m', 'pip', 'download', TENSORFLOW_WHEEL, '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', into]))) return null;
  const file = readdirSync(into).find((f) => f.endsWith('.whl'));
  return file ? path.join(into, file) : null;
}

/** Unpacks the wheel's two libraries and the C headers into tfjs-node's deps/ and builds the binding against them. */
async function buildFromWheel(dir: string): Promise<boolean> {
  const headers = nodeHeadersDir();
  if (!headers) return (say(`no Node headers (include/node/node.h) next to ${process.execPath}: node-gyp would download them, so the build is skipped`), false);
  const gyp = nodeGypPath();
  if (!gyp) return (say(`npm's node-gyp was not found (run this through npm: npm run setup-engine)`), false);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'epochal-tf-wheel-'));
  try {
    const file = await wheel(scratch);
    if (!file) return false;
    const deps = path.join(dir, 'deps');
    rmSync(deps, { recursive: true, force: true });
    mkdirSync(path.join(deps, 'lib'), { recursive: true });
    const py = (await python()) ?? 'python3';
    say('unpacking libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C API headers');
    const unpack = `
import sys, zipfile, os, shutil
wheel, deps = sys.argv[1], sys.argv[2]
dirs = sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        if name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
            target = os.path.join(deps, 'lib', os.path.basename(name))
        elif name.startswith('tensorflow/include/') and any(name[len('tensorflow/include/'):].startswith(d) for d in dirs):
            target = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as source, open(target, 'wb') as out:
            shutil.copyfileobj(source, out, 1 << 20)
`;
    if (!(await step(py, ['-c', unpack, file, deps, ...HEADER_DIRS]))) return false;
    const lib = path.join(deps, 'lib');
    if (!existsSync(path.join(lib, 'libtensorflow_cc.so.2'))) return (say('the wheel holds no tensorflow/libtensorflow_cc.so.2'), false);
    for (const name of LIB_NAMES) symlinkSync('libtensorflow_cc.so.2', path.join(lib, name));
    symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
    say(`building the binding with node-gyp against them and the Node headers in ${headers}`);
    const env = { ...process.env, npm_config_nodedir: headers, npm_config_node_gyp: gyp };
    const preGyp = path.join(path.dirname(createRequire(path.join(dir, 'package.json')).resolve('@mapbox/node-pre-gyp/package.json')), 'bin', 'node-pre-gyp');
    return step(process.execPath, [preGyp, 'install', '--build-from-source'], { cwd: dir, env });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<boolean> {
  if (process.env.EPOCHAL_SKIP_ENGINE_SETUP === '1') return (say('skipped (EPOCHAL_SKIP_ENGINE_SETUP=1)'), true);
  if (os.platform() !== 'linux' || os.arch() !== 'x64') {
    say(`the wheel route is for Linux x64; on ${os.platform()}-${os.arch()} tfjs-node installs only through its own install`);
  }
  const dir = packageDir();
  if (!dir) {
    say('@tensorflow/tfjs-node is not installed (an npm that ran its install script removed it when that failed): training uses WASM. ' +
      'Reinstall with `npm install --ignore-scripts` and run `npm run setup-engine` again.');
    return false;
  }
  const before = await probe();
  if (before.ok) return (say(`tfjs-node is ready (${before.version}): training uses the native CPU engine`), true);
  say(`tfjs-node does not load yet (${before.reason})`);
  if (await ownInstall(dir)) {
    const after = await probe();
    if (after.ok) return (say(`tfjs-node is ready through its own install (${after.version})`), true);
  }
  say('its own install did not give a working engine; trying a TensorFlow CPU wheel instead');
  if (os.platform() === 'linux' && os.arch() === 'x64' && (await buildFromWheel(dir))) {
    const after = await probe();
    if (after.ok) return (say(`tfjs-node is ready, built against the TensorFlow wheel's libtensorflow_cc.so.2 (${after.version})`), true);
    say(`the binding built but does not load: ${after.reason}`);
  }
  rmSync(path.join(dir, 'deps'), { recursive: true, force: true });
  for (const stale of ['lib', 'build']) rmSync(path.join(dir, stale), { recursive: true, force: true });
  say('tfjs-node could not be made to work here: training uses WASM (one thread, ~2-3× slower). See docs/training.md, "Engines".');
  return false;
}

const ok = await main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}; training uses WASM`);
  return false;
});
// An install never fails because of the engine; `npm run setup-engine` says it with its exit code.
process.exit(ok || fromInstall ? 0 : 1);
