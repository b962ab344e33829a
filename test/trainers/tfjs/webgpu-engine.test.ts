import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingEngine, type TrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { probeAdaptersElsewhere } from '../../../src/trainers/tfjs/engine/webgpu-engine.js';
import { expectGradientsClose, networkGradients, randomValues } from './engine-gradients.js';

/**
 * The webgpu engine (Dawn's Node binding) on Mesa's software renderer, which
 * CI installs (.ci/run): forced with EPOCHAL_TFJS_ENGINE=webgpu it trains and
 * matches the CPU backend's gradients; chosen by rule it is not, since the
 * adapter is a software one. Small, since llvmpipe is slow.
 */
let engine: TrainingEngine;
const saved = process.env.EPOCHAL_TFJS_ENGINE;

beforeAll(async () => {
  process.env.EPOCHAL_TFJS_ENGINE = 'webgpu';
  try {
    engine = await loadTrainingEngine();
  } finally {
    if (saved === undefined) delete process.env.EPOCHAL_TFJS_ENGINE;
    else process.env.EPOCHAL_TFJS_ENGINE = saved;
  }
}, 120_000);

describe('webgpu engine', () => {
  it('is not chosen by rule for a software adapter, which the probe reports as one', async () => {
    const adapters = await probeAdaptersElsewhere();
    expect(adapters.length).toBeGreaterThan(0);
    if (adapters.every((a) => a.software)) {
      expect(adapters.map((a) => a.name).join(' ')).toMatch(/llvmpipe|lavapipe|swiftshader/i);
      await expect(loadTrainingEngine({ prefer: 'webgpu' })).resolves.toBe(engine);
    }
  });

  it('records the adapter as the GPU name and runs on the webgpu backend when forced', () => {
    expect(engine.name).toBe('webgpu');
    expect(engine.tf.getBackend()).toBe('webgpu');
    expect(engine.gpuName).toMatch(/\S/);
    expect(engine.description).toContain(engine.gpuName!);
  });

  it('computes the gradients of conv, depthwise and separable conv, batch norm, pooling and dense like the cpu backend', async () => {
    const { tf } = engine;
    await tf.setBackend('cpu');
    const expected = await networkGradients(tf);
    await tf.setBackend('webgpu');
    const actual = await networkGradients(tf);
    expectGradientsClose(actual, expected, 1e-3);
  }, 120_000);

  it('trains a small CNN with fit (the loss falls)', async () => {
    const { tf } = engine;
    await tf.setBackend('webgpu');
    const n = 32;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const noise = randomValues(n * 64, 9);
    const pixels = new Float32Array(n * 64).map((_, k) => {
      const i = Math.floor(k / 64), x = k % 8;
      return ((labels[i] === 0) === x < 4 ? 0.8 : 0.1) + noise[k] * 0.05;
    });
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const history = await model.fit(tf.tensor4d(pixels, [n, 8, 8, 1]), tf.oneHot(tf.tensor1d(labels, 'int32'), 2), { epochs: 15, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
  }, 120_000);
});
