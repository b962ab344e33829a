/**
 * The GPU check (scripts/gpu-check.sh runs it, from the repository or from the
 * folder `scripts/gpu-check.sh pack` makes for a machine without network or Node):
 * reports the WebGPU adapters Dawn finds and the GPU nvidia-smi names, then trains
 * the small CNN and the pretrained MobileNetV2 for a few epochs on synthetic data
 * (random pixels, 4 labels) on each engine present, and prints images/s.
 *
 * Env: GPU_CHECK_ENGINES (default: every engine that loads, tfjs-node(-gpu) first,
 * then webgpu, then wasm), GPU_CHECK_EPOCHS (3; the first is warm-up),
 * GPU_CHECK_IMAGES (512), GPU_CHECK_JSON (a file to write the results to),
 * EPOCHAL_WASM_DIR (where the .wasm files are, in a packed folder).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadTrainingEngine, type EngineName, type TrainingEngine } from '../src/trainers/tfjs/engine/select-engine.js';
import { probeAdaptersElsewhere } from '../src/trainers/tfjs/engine/webgpu-engine.js';
import { buildClassifier } from '../src/trainers/tfjs/models/build-classifier.js';

const ORDER: EngineName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm'];
const ENGINES = (process.env.GPU_CHECK_ENGINES?.split(',').map((e) => e.trim()) ?? ORDER) as EngineName[];
const EPOCHS = Number(process.env.GPU_CHECK_EPOCHS ?? 3);
const IMAGES = Number(process.env.GPU_CHECK_IMAGES ?? 512);
const MODELS = [
  { name: 'small CNN, 64 px grayscale', architecture: 'SMALL_CNN', imageSize: 64, channels: 1, pretrained: false, batch: 32 },
  { name: 'MobileNetV2 (pretrained), 128 px RGB', architecture: 'MOBILENET_V2', imageSize: 128, channels: 3, pretrained: true, batch: 32 },
] as const;

interface Row { engine: string; gpuName: string | null; model: string; imagesPerSecond: number | null; error?: string }

async function nvidiaGpu(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { timeout: 10_000 });
    return stdout.trim() || 'none';
  } catch {
    return 'none (nvidia-smi absent or failing)';
  }
}

/** Median images/s over the epochs after the first (warm-up: shaders and kernels compiled). */
async function trainSpeed(engine: TrainingEngine, spec: (typeof MODELS)[number]): Promise<number> {
  const { tf } = engine;
  const { model } = await buildClassifier(tf, {
    architecture: spec.architecture, imageSize: spec.imageSize, channels: spec.channels, numClasses: 4,
    baseModelPath: null, pretrainedBase: spec.pretrained, dropout: 0.2, seed: 1,
  });
  if (spec.pretrained) model.trainable = true; // end to end, as fine-tuning does
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([IMAGES, spec.imageSize, spec.imageSize, spec.channels], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([IMAGES], 0, 4, 'int32', 2) as import('@tensorflow/tfjs').Tensor1D, 4);
  const rates: number[] = [];
  let started = 0;
  await model.fit(xs, ys, {
    epochs: EPOCHS, batchSize: spec.batch, shuffle: false, verbose: 0,
    callbacks: {
      onEpochBegin: async () => void (started = performance.now()),
      onEpochEnd: async (epoch) => void (epoch > 0 && rates.push(IMAGES / ((performance.now() - started) / 1000))),
    },
  });
  tf.dispose([xs, ys]);
  model.dispose();
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? IMAGES / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  if (process.env.EPOCHAL_WASM_DIR) setWasmPaths(`${process.env.EPOCHAL_WASM_DIR.replace(/\/$/, '')}/`);
  console.log(`GPU check on ${os.hostname()}: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
  console.log(`nvidia-smi: ${await nvidiaGpu()}`);
  const adapters = await probeAdaptersElsewhere(60_000);
  console.log(`WebGPU adapters (Dawn): ${adapters.length ? adapters.map((a) => `${a.name} via ${a.backend}${a.software ? ' (software)' : ''}`).join('; ') : 'none'}`);
  const rows: Row[] = [];
  for (const name of ORDER.filter((e) => ENGINES.includes(e))) {
    let engine: TrainingEngine;
    try {
      engine = await loadTrainingEngine({ prefer: name });
    } catch (error) {
      console.log(`${name}: not available (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    console.log(`${name}: ${engine.description}`);
    for (const spec of MODELS) {
      try {
        const speed = await trainSpeed(engine, spec);
        rows.push({ engine: name, gpuName: engine.gpuName, model: spec.name, imagesPerSecond: Math.round(speed * 10) / 10 });
        console.log(`  ${spec.name}: ${speed.toFixed(1)} images/s`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        rows.push({ engine: name, gpuName: engine.gpuName, model: spec.name, imagesPerSecond: null, error: message });
        console.log(`  ${spec.name}: FAILED (${message})`);
      }
    }
  }
  if (process.env.GPU_CHECK_JSON) writeFileSync(process.env.GPU_CHECK_JSON, JSON.stringify({ adapters, rows }, null, 2));
  const gpu = rows.some((r) => r.engine !== 'wasm' && r.engine !== 'tfjs-node' && r.imagesPerSecond !== null && !adapters.find((a) => a.name === r.gpuName)?.software);
  console.log(gpu ? 'GPU CHECK: trained on a GPU' : 'GPU CHECK: no GPU engine trained here');
  process.exit(0);
}

await main();
