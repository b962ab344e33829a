import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingEngine, type TrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { probeAdaptersElsewhere } from '../../../src/trainers/tfjs/engine/webgpu-engine.js';
import { expectGradientsClose, networkGradients, randomValues } from './engine-gradients.js';

/**
 * The native CPU engine, as `npm run setup-engine` leaves it (CI runs that
 * first): it loads, is what the engine rule picks on a machine without a GPU,
 * and its gradients match the plain CPU backend's.
 */
let engine: TrainingEngine;
beforeAll(async () => {
  engine = await loadTrainingEngine({ prefer: 'tfjs-node' }).catch((error: unknown) => {
    throw new Error(`tfjs-node does not load (${error instanceof Error ? error.message : String(error)}): run \`npm run setup-engine\``);
  });
});

describe('tfjs-node engine', () => {
  it('runs on libtensorflow and names its version', () => {
    expect(engine.tf.getBackend()).toBe('tensorflow');
    expect(engine.gpuName).toBeNull();
    expect(engine.description).toMatch(/^tfjs-node \(libtensorflow \d+\.\d+\.\d+ on the CPU\)$/);
  });

  it('computes the gradients of conv, depthwise and separable conv, batch norm, pooling and dense like the cpu backend', async () => {
    const { tf } = engine;
    await tf.setBackend('cpu');
    const expected = await networkGradients(tf);
    await tf.setBackend('tensorflow');
    const actual = await networkGradients(tf);
    expectGradientsClose(actual, expected, 1e-4);
  });

  it('has the Transform kernel augmentation uses (tfjs-node lacks it), matching the cpu backend', async () => {
    const { tf } = engine;
    const pixels = randomValues(2 * 12 * 10 * 3, 4).map((v) => v + 1);
    // Zoom with a shift, and a rotation: one transform per image, as the augmentation makes them.
    // (No sampling point falls half-way between pixels, where the two round nearest differently.)
    const rows = [[0.8, 0, 1.3, 0, 0.8, -0.7, 0, 0], [0.98, -0.17, 1.1, 0.17, 0.98, -0.4, 0, 0]];
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      for (const fillMode of ['constant', 'nearest', 'reflect'] as const) {
        // The cpu backend image by image: its Transform gets the second image of a batch wrong (all fill).
        await tf.setBackend('cpu');
        const expected: number[] = [];
        for (let i = 0; i < 2; i++) {
          const one = tf.tensor4d(pixels.slice(i * 360, (i + 1) * 360), [1, 12, 10, 3]);
          expected.push(...(await tf.image.transform(one, tf.tensor2d([rows[i]]), interpolation, fillMode, 0.25).data()));
        }
        await tf.setBackend('tensorflow');
        const actual = await tf.image.transform(tf.tensor4d(pixels, [2, 12, 10, 3]), tf.tensor2d(rows), interpolation, fillMode, 0.25).data();
        expect(actual.length).toBe(expected.length);
        let worst = 0;
        for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        expect(worst, `${interpolation}, ${fillMode}`).toBeLessThan(1e-4);
      }
    }
  });

  it('trains a small CNN with fit (the loss falls)', async () => {
    const { tf } = engine;
    await tf.setBackend('tensorflow');
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
  });

  it('is what the engine rule picks on a machine without a GPU adapter, so a run started now records Run.engine = tfjs-node', async () => {
    const saved = process.env.EPOCHAL_TFJS_ENGINE;
    delete process.env.EPOCHAL_TFJS_ENGINE;
    try {
      const gpu = (await probeAdaptersElsewhere()).some((a) => !a.software);
      expect((await loadTrainingEngine()).name).toBe(gpu ? 'webgpu' : 'tfjs-node');
    } finally {
      if (saved !== undefined) process.env.EPOCHAL_TFJS_ENGINE = saved;
    }
  });
});
