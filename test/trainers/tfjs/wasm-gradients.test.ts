import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingEngine, type Tf } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { randomValues } from './engine-gradients.js';

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

/** Gradients of Σ r·conv(x, w) with respect to x and w, computed on the active backend. */
function convGradients(tf: Tf, c: Case, depthwise: boolean): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(size(c.x), 1), c.x);
    const w = tf.tensor4d(randomValues(size(c.filter), 2), c.filter);
    const forward = (xi: typeof x, wi: typeof w) =>
      depthwise
        ? tf.depthwiseConv2d(xi, wi, c.stride, c.pad)
        : tf.conv2d(xi, wi, c.stride, c.pad);
    const outShape = forward(x, w).shape;
    const r = tf.tensor4d(randomValues(size(outShape), 3), outShape);
    const [dx, dw] = tf.grads((xi, wi) => tf.sum(tf.mul(forward(xi as typeof x, wi as typeof w), r)))([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  expect(worst).toBeLessThan(1e-4);
}

let tf: Tf;

async function onBackend<T>(backend: 'cpu' | 'wasm', run: () => T): Promise<T> {
  await tf.setBackend(backend);
  return run();
}

beforeAll(async () => {
  ({ tf } = await loadTrainingEngine({ prefer: 'wasm' }));
});

const convCases: Case[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as const) {
    convCases.push({ x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride, pad });
    convCases.push({ x: [3, 16, 15, 5], filter: [5, 4, 5, 2], stride, pad });
    convCases.push({ x: [2, 8, 8, 6], filter: [1, 1, 6, 3], stride, pad });
    convCases.push({ x: [1, 7, 10, 2], filter: [2, 2, 2, 3], stride, pad });
  }
}

describe('wasm convolution gradients match the cpu backend', () => {
  it.each(convCases)('conv2d %j', async (c) => {
    const expected = await onBackend('cpu', () => convGradients(tf, c, false));
    const actual = await onBackend('wasm', () => convGradients(tf, c, false));
    expectClose(actual.dx, expected.dx);
    expectClose(actual.dw, expected.dw);
  });

  const depthwiseCases: Case[] = [
    ...convCases.map((c) => ({ ...c, filter: [c.filter[0], c.filter[1], c.x[3], 1] as Case['filter'] })),
    { x: [2, 9, 9, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
    { x: [2, 9, 8, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'valid' },
  ];
  it.each(depthwiseCases)('depthwiseConv2d %j', async (c) => {
    const expected = await onBackend('cpu', () => convGradients(tf, c, true));
    const actual = await onBackend('wasm', () => convGradients(tf, c, true));
    expectClose(actual.dx, expected.dx);
    expectClose(actual.dw, expected.dw);
  });

  it('does not leak tensors', async () => {
    await tf.setBackend('wasm');
    convGradients(tf, convCases[1], false);
    const before = tf.memory().numTensors;
    convGradients(tf, convCases[5], false);
    convGradients(tf, { x: [2, 9, 9, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' }, true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training on wasm', () => {
  it('a small CNN learns a separable problem (loss decreases)', async () => {
    await tf.setBackend('wasm');
    // Bright blob on the left vs. the right half of 12×12 grayscale images.
    const n = 64;
    const images = new Float32Array(n * 12 * 12);
    const labels: number[] = [];
    const noise = randomValues(images.length, 7);
    for (let i = 0; i < n; i++) {
      const label = i % 2;
      labels.push(label);
      for (let y = 0; y < 12; y++) {
        for (let x = 0; x < 12; x++) {
          const bright = (label === 0 ? x < 6 : x >= 6) && y > 2 && y < 9;
          images[i * 144 + y * 12 + x] = (bright ? 0.8 : 0.1) + noise[i * 144 + y * 12 + x] * 0.1;
        }
      }
    }
    const xs = tf.tensor4d(images, [n, 12, 12, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', strides: 2 }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.7);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
