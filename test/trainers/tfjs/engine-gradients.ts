import { expect } from 'vitest';
import type { Scalar, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { createRandom } from '../../../src/kernel/random.js';

/**
 * The gradients of one small network that uses every kind of layer the
 * project's models train (convolution, depthwise and separable convolution,
 * batch normalisation in training mode, max and average pooling, dense), with
 * respect to its input and every weight, on whichever backend is active: an
 * engine's gradients are compared with the plain CPU backend's.
 */

/** Deterministic pseudo-random values in [-1, 1) from the project's seeded source, so every backend sees the same data. */
export function randomValues(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

const SHAPES = {
  x: [4, 16, 16, 3],
  conv: [3, 3, 3, 8],
  depthwise: [3, 3, 8, 1],
  separableDepthwise: [3, 3, 8, 2],
  separablePointwise: [1, 1, 16, 12],
  gamma: [12],
  beta: [12],
  dense: [12, 5],
  bias: [5],
} as const;
export type GradientName = keyof typeof SHAPES;

/**
 * Gradients of the network's softmax cross-entropy loss, by input/weight name
 * (read back asynchronously: WebGPU's synchronous read needs a browser canvas).
 */
export async function networkGradients(tf: Tf): Promise<Record<GradientName, Float32Array>> {
  const names = Object.keys(SHAPES) as GradientName[];
  const grads = tf.tidy(() => {
    const tensors = names.map((name, i) => tf.tensor(randomValues(size([...SHAPES[name]]), i + 1), [...SHAPES[name]]));
    const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5);
    const loss = (...t: typeof tensors) => {
      const [x, conv, depthwise, sepDw, sepPw, gamma, beta, dense, bias] = t as unknown as [Tensor4D, Tensor4D, Tensor4D, Tensor4D, Tensor4D, Tensor1D, Tensor1D, Tensor2D, Tensor1D];
      let h: Tensor4D = tf.relu(tf.conv2d(x, conv, 1, 'same'));
      h = tf.relu6(tf.depthwiseConv2d(h, depthwise, 2, 'same'));
      h = tf.separableConv2d(h, sepDw, sepPw, 1, 'valid');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-3)) as Tensor4D;
      h = tf.avgPool(tf.maxPool(h, 2, 2, 'same'), 2, 1, 'valid');
      const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]) as Tensor2D, dense), bias);
      return tf.losses.softmaxCrossEntropy(labels, logits) as Scalar;
    };
    return tf.grads(loss)(tensors);
  });
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<GradientName, Float32Array>;
}

/** Every gradient within `tolerance` of the reference (relative, or absolute below 1), and not all zero. */
export function expectGradientsClose(actual: Record<GradientName, Float32Array>, expected: Record<GradientName, Float32Array>, tolerance: number): number {
  let worstOverall = 0;
  for (const name of Object.keys(expected) as GradientName[]) {
    const a = actual[name];
    const e = expected[name];
    expect(a.length, name).toBe(e.length);
    expect(e.some((v) => v !== 0), `${name}: the reference gradient is not all zero`).toBe(true);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i])));
    expect(worst, `${name}: largest difference`).toBeLessThan(tolerance);
    worstOverall = Math.max(worstOverall, worst);
  }
  return worstOverall;
}
