import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type * as TfModule from '@tensorflow/tfjs';

/**
 * The webgpu engine: @tensorflow/tfjs-backend-webgpu on Dawn's Node binding
 * (the `webgpu` npm package, binaries in its tarball). It needs no
 * libtensorflow and no CUDA toolkit, only a Vulkan or OpenGL ES driver, so it
 * runs on GPUs newer than tfjs-node-gpu's CUDA 11.2 build knows.
 *
 * Dawn's Vulkan backend is tried first (the NVIDIA, AMD and Intel drivers),
 * then OpenGL ES through EGL in WebGPU's compatibility mode (how Mesa's
 * software renderer runs: Dawn refuses Mesa 22's lavapipe). A software
 * adapter is taken only when asked for (EPOCHAL_TFJS_ENGINE=webgpu, tests):
 * on the CPU it is far slower than tfjs-node or WASM.
 *
 * Mesa's drivers bring their own LLVM, and libtensorflow loaded after them in
 * one process crashes (measured: a segfault on loading tfjs-node). So when
 * choosing automatically, adapters are first listed in a child process
 * (probeAdaptersElsewhere), and Dawn is loaded here only for a hardware one.
 */

/** Adapters that are a CPU pretending to be a GPU. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render/i;

interface AdapterInfo { vendor?: string; architecture?: string; device?: string; description?: string }
interface Adapter { info: AdapterInfo; features: ReadonlySet<string>; limits: Record<string, number>; requestDevice(descriptor?: unknown): Promise<unknown> }
interface Gpu { requestAdapter(options?: Record<string, unknown>): Promise<Adapter | null> }

/** What probeAdaptersElsewhere reports of each adapter Dawn finds. */
export interface AdapterSummary { backend: 'vulkan' | 'opengles'; name: string; software: boolean }

const ATTEMPTS = [
  { backend: 'vulkan', flags: ['backend=vulkan'], request: { powerPreference: 'high-performance' } },
  { backend: 'opengles', flags: ['backend=opengles'], request: { powerPreference: 'high-performance', featureLevel: 'compatibility' } },
] as const;

/** Whether this process has loaded a Mesa software driver through Dawn (libtensorflow must not load after it). */
let softwareDriverLoaded = false;
export const softwareRendererLoaded = () => softwareDriverLoaded;

/**
 * The adapters Dawn finds, listed by a short-lived child process so that no
 * GPU driver is loaded into this one. [] where there is none or it fails.
 */
export async function probeAdaptersElsewhere(timeoutMs = 30_000): Promise<AdapterSummary[]> {
  const webgpu = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  const script = `
    const { create } = await import(${JSON.stringify(webgpu)});
    const found = [];
    for (const a of ${JSON.stringify(ATTEMPTS)}) {
      try {
        const adapter = await create([...a.flags]).requestAdapter(a.request);
        if (adapter) found.push({ backend: a.backend, info: { device: adapter.info.device, description: adapter.info.description, vendor: adapter.info.vendor, architecture: adapter.info.architecture } });
      } catch {}
    }
    process.stdout.write('ADAPTERS ' + JSON.stringify(found) + '\\n');
    process.exit(0);`;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: timeoutMs,
      env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
    });
    const line = stdout.split('\n').find((l) => l.startsWith('ADAPTERS '));
    if (!line) return [];
    const found = JSON.parse(line.slice('ADAPTERS '.length)) as { backend: AdapterSummary['backend']; info: AdapterInfo }[];
    return found.map(({ backend, info }) => ({ backend, name: adapterName(info), software: isSoftware(info) }));
  } catch {
    return [];
  }
}

function isSoftware(info: AdapterInfo): boolean {
  return SOFTWARE_ADAPTER.test(`${adapterName(info)} ${info.description ?? ''}`);
}

export interface WebGpuAdapter {
  adapter: Adapter;
  /** What Run.gpuName records: the adapter's device name, else its description. */
  name: string;
  software: boolean;
  /** Which Dawn backend found it. */
  backend: 'vulkan' | 'opengles';
  /** The Dawn instance the adapter belongs to, kept alive with it (a collected instance takes its devices down). */
  instance: Gpu;
}

function adapterName(info: AdapterInfo): string {
  const name = [info.device, info.description, info.vendor, info.architecture].find((s) => s && s.trim().length > 0);
  return (name ?? 'unnamed WebGPU adapter').trim().replace(/-+$/, '');
}

/**
 * The best adapter Dawn finds here: the first that is not a software renderer,
 * else (when allowed) the first software one; null with the reason when none.
 */
export async function findWebGpuAdapter(options: { allowSoftware: boolean }): Promise<{ found: WebGpuAdapter } | { reason: string }> {
  // Headless EGL: without a display Mesa's EGL needs the surfaceless platform.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const { create } = (await import('webgpu')) as unknown as { create(flags: string[]): Gpu };
  const seen: string[] = [];
  let software: WebGpuAdapter | null = null;
  for (const { backend, flags, request } of ATTEMPTS) {
    let adapter: Adapter | null = null;
    const instance = create([...flags]);
    try {
      adapter = await instance.requestAdapter(request);
    } catch (error) {
      seen.push(`${backend}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    if (!adapter) {
      seen.push(`${backend}: no adapter`);
      continue;
    }
    const name = adapterName(adapter.info);
    const candidate: WebGpuAdapter = { adapter, instance, name, backend, software: isSoftware(adapter.info) };
    if (candidate.software) softwareDriverLoaded = true;
    if (!candidate.software) return { found: candidate };
    seen.push(`${backend}: ${name} is a software renderer`);
    software ??= candidate;
  }
  if (software && options.allowSoftware) return { found: software };
  return { reason: `no GPU adapter (${seen.join('; ')})` };
}

/**
 * Registers the webgpu backend on `tf` with the chosen adapter and makes it
 * the active backend. The backend asks navigator.gpu for an adapter when it
 * initialises; handing it the one already chosen keeps it on that driver and
 * in the compatibility mode GLES needs.
 */
export async function startWebGpuBackend(tf: typeof TfModule, chosen: WebGpuAdapter): Promise<void> {
  // The backend uses the browser's WebGPU constants (GPUBufferUsage, GPUMapMode, ...).
  const { globals } = (await import('webgpu')) as unknown as { globals: Record<string, unknown> };
  for (const [name, value] of Object.entries(globals)) if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  const gpu = { requestAdapter: async () => chosen.adapter, instance: chosen.instance };
  const nav = (globalThis as unknown as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu did not register (navigator.gpu was not seen)');
  if (!(await tf.setBackend('webgpu'))) throw new Error(`tf.setBackend("webgpu") failed on ${chosen.name}`);
}
