import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import { loadTrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';

/**
 * The FusedBatchNorm gradient Epochal registers (broadcast instead of tile) must equal the gradient
 * of the same normalisation written out in elementary ops, for x, the statistics, gamma and beta,
 * with the statistics computed from x in the graph as a training-mode BatchNormalization layer does.
 */
describe('FusedBatchNorm gradient (registered with the wasm engine)', () => {
  it('matches the gradient of the normalisation written out in elementary ops', async () => {
    const { tf } = await loadTrainingEngine({ prefer: 'wasm' });
    const x = tf.randomNormal([3, 5, 4, 6], 0.5, 2, 'float32', 11) as Tensor4D;
    const gamma = tf.randomUniform([6], 0.5, 1.5, 'float32', 12) as Tensor1D;
    const beta = tf.randomUniform([6], -1, 1, 'float32', 13) as Tensor1D;
    const weights = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 14);
    const epsilon = 1e-3;
    const loss = (normalise: (x: Tensor4D, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor) => Tensor) =>
      (xIn: Tensor, gammaIn: Tensor, betaIn: Tensor) => {
        const { mean, variance } = tf.moments(xIn, [0, 1, 2]);
        return tf.sum(tf.mul(normalise(xIn as Tensor4D, mean, variance, gammaIn, betaIn), weights));
      };
    const fused = loss((xIn, mean, variance, g, b) => tf.batchNorm(xIn, mean as Tensor1D, variance as Tensor1D, b as Tensor1D, g as Tensor1D, epsilon));
    const written = loss((xIn, mean, variance, g, b) => tf.add(tf.mul(tf.mul(tf.sub(xIn, mean), tf.rsqrt(tf.add(variance, epsilon))), g), b));
    const expected = tf.grads(written)([x, gamma, beta]);
    const actual = tf.grads(fused)([x, gamma, beta]);
    for (let i = 0; i < 3; i++) {
      expect(actual[i].shape).toEqual(expected[i].shape);
      const [a, e] = [actual[i].dataSync(), expected[i].dataSync()];
      for (let j = 0; j < e.length; j++) expect(a[j]).toBeCloseTo(e[j], 3);
    }
    expect(tf.getGradient('FusedBatchNorm')?.[Symbol.for('epochal.batchNormGradient') as never]).toBe(true);
  });
});
