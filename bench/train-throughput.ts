/**
 * npm run bench:train — training throughput of the small CNN per TensorFlow.js engine present,
 * against the same model in PyTorch on the CPU, measured in the same run (this machine is shared
 * and noisy, so only same-run ratios mean much).
 *
 * The images (fixed: synthetic OCT scans, seed 1, grayscale, BENCH_IMAGE_SIZE px) are decoded
 * once and trained from memory, so the figures are training steps only, as in PyTorch.
 * Env: BENCH_IMAGES (256), BENCH_IMAGE_SIZE (64), BENCH_EPOCHS (2, after one warm-up epoch),
 * BENCH_BATCH (32), BENCH_ENGINES (tfjs-node-gpu,tfjs-node,webgpu,wasm; add cpu for the plain JS backend, ~100× slower),
 * BENCH_PYTHON (default: /usr/bin/python3 if it has torch, Debian's python3-torch being visible
 * only to it, else python3), BENCH_WEBGPU=1 (also measure webgpu on a software adapter).
 *
 * PyTorch is measured first, then the engines in the order tfjs-node-gpu, tfjs-node, webgpu, wasm,
 * cpu (libtensorflow cannot load after Mesa's software renderer in one process, see
 * webgpu-engine.ts), so the ratio that matters most, tfjs-node / PyTorch, spans the least time.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AdamOptimizer, Scalar, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import { loadImageBatch } from '../src/trainers/tfjs/images/image-loader.js';
import { generateSyntheticImages, OCT_LABELS } from '../src/datasets/synthetic-images.js';
import { loadTrainingEngine, type EngineName, type TrainingEngine } from '../src/trainers/tfjs/engine/select-engine.js';
import { probeAdaptersElsewhere } from '../src/trainers/tfjs/engine/webgpu-engine.js';
import { buildClassifier } from '../src/trainers/tfjs/models/build-classifier.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 256);
const SIZE = Number(process.env.BENCH_IMAGE_SIZE ?? 64);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 32);
const BENCH_ORDER: readonly EngineName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];
const BENCH_ENGINES = new Set((process.env.BENCH_ENGINES ?? 'tfjs-node-gpu,tfjs-node,webgpu,wasm').split(',').map((e) => e.trim()));
/** The plain JS backend is ~100× slower: a few batches say enough. */
const CPU_BATCHES = 1;

interface Result { engine: string; imagesPerSecond: number; note?: string }

/** Images per second of training steps on `engine`, median over the measured epochs; `profile` adds the top kernels. */
async function measureTfjs(engine: TrainingEngine, pixels: Float32Array, labels: number[], options: { maxBatches?: number; profile?: boolean }): Promise<Result> {
  const { tf } = engine;
  const { model } = await buildClassifier(tf, { architecture: 'SMALL_CNN', imageSize: SIZE, channels: 1, numClasses: 4, baseModelPath: null, dropout: 0.2, seed: 1 });
  const optimizer = tf.train.adam(1e-3) as AdamOptimizer;
  const xs = tf.tensor4d(pixels, [labels.length, SIZE, SIZE, 1]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
  const step = async (start: number) => {
    const size = Math.min(BATCH, labels.length - start);
    const loss = tf.tidy(() => {
      const x = tf.slice(xs, [start, 0, 0, 0], [size, SIZE, SIZE, 1]) as Tensor4D;
      const y = tf.slice(ys, [start, 0], [size, 4]);
      const vars = model.trainableWeights.map((w) => w.read() as Variable);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(model.apply(x, { training: true }) as Tensor2D, 1e-7, 1))) as Scalar, true, vars)!;
    });
    await loss.data(); // WebGPU has no synchronous read in Node
    loss.dispose();
    return size;
  };
  const rates: number[] = [];
  const epochs = options.maxBatches ? 1 : EPOCHS;
  // Warm-up: kernels compiled, weights and optimizer slots allocated (not for the slow plain JS backend).
  if (!options.maxBatches) await step(0);
  for (let epoch = 0; epoch < epochs + (options.maxBatches ? 0 : 1); epoch++) {
    const started = performance.now();
    let images = 0;
    for (let b = 0; b * BATCH < labels.length && b < (options.maxBatches ?? Infinity); b++) images += await step(b * BATCH);
    const rate = images / ((performance.now() - started) / 1000);
    if (options.maxBatches || epoch > 0) rates.push(rate); // epoch 0 is a further warm-up
  }
  let note: string | undefined;
  if (options.profile) {
    const byKernel = new Map<string, number>();
    const profiled = await tf.profile(async () => void (await step(0)));
    for (const kernel of profiled.kernels) byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + Number(kernel.kernelTimeMs));
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    note = `one step: ${profiled.kernels.length} kernels; by time: ` + [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 6)
      .map(([name, ms]) => `${name} ${Math.round((100 * ms) / total)}%`).join(', ');
  }
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
  rates.sort((a, b) => a - b);
  return { engine: engine.name, imagesPerSecond: rates[Math.floor(rates.length / 2)], note };
}

/** BENCH_PYTHON, else /usr/bin/python3 where it has torch (Debian's python3-torch), else python3. */
async function pythonWithTorch(): Promise<string> {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      await promisify(execFile)(candidate, ['-c', 'import torch'], { timeout: 60_000 });
      return candidate;
    } catch {
      // next
    }
  }
  return '/usr/bin/python3';
}

async function measurePytorch(dir: string, pixels: Uint8Array, labels: number[]): Promise<Result[]> {
  const PYTHON = await pythonWithTorch();
  await writeFile(path.join(dir, 'pixels.bin'), pixels);
  await writeFile(path.join(dir, 'labels.bin'), Uint8Array.from(labels));
  const script = fileURLToPath(new URL('./train_throughput_torch.py', import.meta.url));
  try {
    const { stdout } = await promisify(execFile)(PYTHON, [script, '--pixels', path.join(dir, 'pixels.bin'), '--labels', path.join(dir, 'labels.bin'),
      '--size', String(SIZE), '--epochs', String(EPOCHS), '--batch', String(BATCH), '--threads', String(os.cpus().length)], { timeout: 600_000 });
    return stdout.trim().split('\n').map((line) => {
      const parsed = JSON.parse(line) as { engine: string; imagesPerSecond: number; torch: string; threads: number };
      return { engine: parsed.engine, imagesPerSecond: parsed.imagesPerSecond, note: `torch ${parsed.torch}, ${parsed.threads} threads` };
    });
  } catch (error) {
    const reason = (error as Error).message.split('\n').find((line) => /Error|No module/.test(line)) ?? (error as Error).message.split('\n')[0];
    console.log(`PyTorch reference not measured (${reason.trim()}): apt-get install -y python3-torch, then run again`);
    return [];
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'epochal-bench-train-'));
  try {
    const perLabel = Math.ceil(IMAGES / OCT_LABELS.length);
    const images = (await generateSyntheticImages({ dir, imagesPerLabel: perLabel, imageSize: SIZE, seed: 1, splits: { train: 1, validation: 0, test: 0 } }))
      .slice(0, IMAGES);
    const labels = images.map((image) => OCT_LABELS.indexOf(image.label as (typeof OCT_LABELS)[number]));
    const wasm = await loadTrainingEngine({ prefer: 'wasm' });
    const decoded = await loadImageBatch(wasm.tf, images.map((image) => image.uri), { imageSize: SIZE, channels: 1 });
    const pixels = decoded.dataSync() as Float32Array;
    decoded.dispose();
    console.log(`small CNN, ${labels.length} images at ${SIZE} px, batch ${BATCH}, Adam; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`);

    const torch = await measurePytorch(dir, Uint8Array.from(pixels, (v) => Math.round(v * 255)), labels);
    for (const result of torch) console.log(`${result.engine}: ${result.imagesPerSecond.toFixed(1)} images/s (${result.note})`);

    const results: Result[] = [];
    for (const name of BENCH_ORDER.filter((e) => BENCH_ENGINES.has(e))) {
      let engine: TrainingEngine;
      try {
        if (name === 'webgpu' && !process.env.BENCH_WEBGPU && !(await probeAdaptersElsewhere()).some((a) => !a.software)) {
          console.log('webgpu: no GPU adapter here (BENCH_WEBGPU=1 measures the software renderer)');
          continue;
        }
        engine = await loadTrainingEngine({ prefer: name });
      } catch (error) {
        console.log(`${name}: not present (${(error as Error).message.split(': ').slice(-1)[0]})`);
        continue;
      }
      const result = await measureTfjs(engine, pixels, labels, name === 'cpu' ? { maxBatches: CPU_BATCHES } : { profile: name === 'wasm' || name === 'tfjs-node' });
      if (name === 'cpu') result.note = `${CPU_BATCHES} batch only, no warm-up`;
      results.push(result);
      console.log(`${result.engine}: ${result.imagesPerSecond.toFixed(1)} images/s${result.note ? ` (${result.note})` : ''}`);
    }
    // The fastest PyTorch variant is the reference: on this machine PyTorch 2.13's default (NCHW)
    // layout on 2 threads was seen 8× slower than channels-last or 1 thread, which would flatter us.
    const reference = torch.length ? torch.reduce((best, r) => (r.imagesPerSecond > best.imagesPerSecond ? r : best)) : undefined;
    if (reference) {
      console.log(`\nratio to PyTorch (its fastest variant here: ${reference.engine}), same run:`);
      for (const result of results) console.log(`  ${result.engine}: ${(result.imagesPerSecond / reference.imagesPerSecond).toFixed(2)}×`);
      const wasm = results.find((r) => r.engine === 'wasm');
      const perCore = torch.find((r) => r.engine === 'pytorch-1-thread');
      if (wasm && perCore) console.log(`  wasm per core (against PyTorch on 1 thread): ${(wasm.imagesPerSecond / perCore.imagesPerSecond).toFixed(2)}×`);
      const native = results.find((r) => r.engine === 'tfjs-node');
      if (native && wasm) console.log(`  tfjs-node / wasm: ${(native.imagesPerSecond / wasm.imagesPerSecond).toFixed(2)}×`);
      if (native) console.log(`goal tfjs-node >= 0.5× PyTorch: ${native.imagesPerSecond / reference.imagesPerSecond >= 0.5 ? 'met' : 'NOT met'}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
