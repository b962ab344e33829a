import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type * as TfModule from '@tensorflow/tfjs';
import { registerBatchNormGradient } from './batch-norm-gradient.js';
import { registerWasmGradients } from './wasm-gradients.js';
import { registerNodeKernels, restoreUtilForTfjsNode } from './node-kernels.js';
import { findWebGpuAdapter, probeAdaptersElsewhere, softwareRendererLoaded, startWebGpuBackend } from './webgpu-engine.js';

/**
 * Picks the fastest TensorFlow.js engine present in this process, in this order:
 * tfjs-node-gpu (libtensorflow with CUDA 11.2, where installed), webgpu (Dawn,
 * only on a hardware adapter unless forced), tfjs-node (libtensorflow on the CPU;
 * `npm run setup-engine` makes it work offline), wasm, cpu.
 *
 * tfjs-node(-gpu) are optional dependencies that only work where libtensorflow could be
 * had, so they are imported dynamically. Each engine has its own `tf` module instance
 * (tfjs-node bundles its own), so every training module takes `tf` from the engine instead of
 * importing '@tensorflow/tfjs' for computation.
 */
export const ENGINE_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export type Tf = typeof TfModule;

export interface TrainingEngine {
  name: EngineName;
  tf: Tf;
  gpuName: string | null;
  description: string;
}

export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: EngineName,
    reason: string,
  ) {
    super(`TensorFlow.js engine "${engine}" is not available: ${reason}`);
    this.name = 'EngineUnavailableError';
  }
}

const execFileAsync = promisify(execFile);
const loaded = new Map<EngineName, Promise<TrainingEngine>>();
let autoSelected: Promise<TrainingEngine> | null = null;

function isEngineName(value: string): value is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(value);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** The GPU's name from nvidia-smi, or null where it is absent or fails. */
async function readGpuName(): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
      timeout: 5_000,
    });
    const first = stdout.split('\n').map((line) => line.trim()).find((line) => line.length > 0);
    return first ?? null;
  } catch {
    return null;
  }
}

async function importOptional(specifier: string): Promise<Tf> {
  restoreUtilForTfjsNode();
  // A variable specifier keeps TypeScript from requiring the optional package's types.
  const mod = (await import(specifier)) as Tf & { default?: Tf };
  return (typeof mod.tensor === 'function' ? mod : mod.default) as Tf;
}

async function loadEngine(name: EngineName, forced: boolean): Promise<TrainingEngine> {
  switch (name) {
    case 'tfjs-node-gpu': {
      const tf = await importOptional('@tensorflow/tfjs-node-gpu');
      const gpuName = await readGpuName();
      return { name, tf, gpuName, description: `tfjs-node-gpu (libtensorflow, CUDA${gpuName ? `, ${gpuName}` : ''})` };
    }
    case 'webgpu': {
      // Chosen by rule: only for a hardware adapter, seen from a child process first (see webgpu-engine.ts).
      if (!forced) {
        const adapters = await probeAdaptersElsewhere();
        if (!adapters.some((a) => !a.software)) {
          throw new Error(`no GPU adapter${adapters.length ? ` (only ${adapters.map((a) => `${a.name}, a software renderer`).join('; ')})` : ''}`);
        }
      }
      // Forced (EPOCHAL_TFJS_ENGINE=webgpu, tests): a software adapter will do.
      const found = await findWebGpuAdapter({ allowSoftware: forced });
      if ('reason' in found) throw new Error(found.reason);
      const tf = await import('@tensorflow/tfjs');
      await startWebGpuBackend(tf, found.found);
      registerBatchNormGradient(tf);
      const { name: gpuName, backend, software } = found.found;
      return { name, tf, gpuName, description: `@tensorflow/tfjs on WebGPU (Dawn, ${backend}, ${gpuName}${software ? ', a software renderer' : ''})` };
    }
    case 'tfjs-node': {
      if (softwareRendererLoaded()) throw new Error('it cannot load in a process that has started Mesa\'s software renderer for the webgpu engine (their LLVM copies clash)');
      const tf = await importOptional('@tensorflow/tfjs-node');
      registerNodeKernels(tf);
      const lib = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version;
      return { name, tf, gpuName: null, description: `tfjs-node (libtensorflow${lib ? ` ${lib}` : ''} on the CPU)` };
    }
    case 'wasm': {
      const tf = await import('@tensorflow/tfjs');
      // Importing the package registers the 'wasm' backend; in Node it finds its .wasm files
      // next to its own dist bundle, so no setWasmPaths is needed.
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed to initialise');
      registerWasmGradients(tf);
      registerBatchNormGradient(tf);
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return { name, tf, gpuName: null, description: `@tensorflow/tfjs on WASM (XNNPACK${simd ? ', SIMD' : ''}, one thread)` };
    }
    case 'cpu': {
      const tf = await import('@tensorflow/tfjs');
      if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
      return { name, tf, gpuName: null, description: '@tensorflow/tfjs on the plain JavaScript CPU backend (slow)' };
    }
  }
}

/**
 * Says how to get the native CPU engine when neither it nor another fast one is
 * set up (logged when a worker starts), or null when there is nothing to say.
 */
export function nativeEngineHint(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.EPOCHAL_TFJS_ENGINE?.trim()) return null;
  const require = createRequire(import.meta.url);
  const built = (pkg: string) => {
    try {
      const lib = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'lib');
      return existsSync(lib) && readdirSync(lib).some((dir) => existsSync(path.join(lib, dir, 'tfjs_binding.node')));
    } catch {
      return false;
    }
  };
  if (built('@tensorflow/tfjs-node') || built('@tensorflow/tfjs-node-gpu')) return null;
  return 'the native CPU engine (tfjs-node) is not set up, so TFJS runs train on WASM (one thread, several times slower) unless a GPU adapter is found: run `npm run setup-engine`';
}

/** The backend name `tf` uses for each engine. */
function backendOf(name: EngineName): string {
  return name === 'tfjs-node' || name === 'tfjs-node-gpu' ? 'tensorflow' : name;
}

/**
 * The engine loadTrainingEngine would pick, told from the installed packages
 * alone (loading one takes seconds and memory the API need not spend):
 * EPOCHAL_TFJS_ENGINE when set, else the first tfjs-node build present, else wasm.
 */
export function probeEngineName(env: NodeJS.ProcessEnv = process.env): EngineName {
  const forced = env.EPOCHAL_TFJS_ENGINE?.trim();
  if (forced && isEngineName(forced)) return forced;
  const require = createRequire(import.meta.url);
  for (const name of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    try {
      require.resolve(`@tensorflow/${name}`);
      return name;
    } catch {
      // not installed here
    }
  }
  return 'wasm';
}

function loadOnce(name: EngineName, forced = false): Promise<TrainingEngine> {
  let promise = loaded.get(name);
  if (!promise) {
    promise = loadEngine(name, forced).catch((error: unknown) => {
      loaded.delete(name);
      throw new EngineUnavailableError(name, reasonOf(error));
    });
    loaded.set(name, promise);
  }
  return promise;
}

/**
 * Loads (once per process) the engine named by `prefer` or EPOCHAL_TFJS_ENGINE, or else the first
 * that works of tfjs-node-gpu, tfjs-node, wasm, cpu. The engine's backend is made the active one
 * on every call, since the wasm and cpu engines share one `tf` instance.
 */
export async function loadTrainingEngine(options: { prefer?: EngineName } = {}): Promise<TrainingEngine> {
  const forced = options.prefer ?? process.env.EPOCHAL_TFJS_ENGINE?.trim();
  let engine: TrainingEngine;
  if (forced) {
    if (!isEngineName(forced)) {
      throw new Error(`Unknown TensorFlow.js engine "${forced}" (EPOCHAL_TFJS_ENGINE); expected one of ${ENGINE_NAMES.join(', ')}`);
    }
    engine = await loadOnce(forced, true);
  } else {
    autoSelected ??= (async () => {
      const failures: string[] = [];
      for (const name of ENGINE_NAMES) {
        try {
          return await loadOnce(name);
        } catch (error) {
          failures.push(reasonOf(error));
        }
      }
      autoSelected = null;
      throw new Error(`No TensorFlow.js engine could be loaded: ${failures.join('; ')}`);
    })();
    engine = await autoSelected;
  }
  if (engine.tf.getBackend() !== backendOf(engine.name)) await engine.tf.setBackend(backendOf(engine.name));
  return engine;
}
