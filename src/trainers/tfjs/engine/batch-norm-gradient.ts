import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import type * as TfModule from '@tensorflow/tfjs';

type Tf = typeof TfModule;
const MARKER = Symbol.for('epochal.batchNormGradient');

/**
 * The gradient of FusedBatchNorm (tfjs-core 4.22's, term for term) with one change: the input's
 * gradient multiplies dy by the per-channel factor through broadcasting instead of first tiling
 * that factor to dy's full shape. On WASM, Tile is a plain loop, and it took a third of a
 * SMALL_CNN training step at 64 px (npm run bench:train, tf.profile).
 */
export function registerBatchNormGradient(tf: Tf): void {
  const existing = tf.getGradient('FusedBatchNorm') as (GradConfig & { [MARKER]?: true }) | undefined;
  if (existing?.[MARKER]) return;
  const config: GradConfig & { [MARKER]: true } = {
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const grad = dy as Tensor;
      const { varianceEpsilon } = attrs as { varianceEpsilon: number };
      const [x, mean, variance, scale] = saved;
      const scaleValue = scale == null ? tf.scalar(1) : scale;
      const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const perChannel = mean.rank === 1;
      const reduce = (t: Tensor) => (perChannel ? tf.sum(t, reductionAxes) : t).reshape(mean.shape);
      const xMinusMean = tf.sub(x, mean);
      const dyTimesScale = tf.mul(grad, scaleValue);
      const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
      const minusHalfRCube = tf.mul(tf.pow(oneOverSqrtVariance, 3), tf.scalar(-0.5));
      return {
        // [C] broadcasts over [B, H, W, C]: no full-size tiled copy.
        x: () => tf.mul(grad, tf.mul(oneOverSqrtVariance, scaleValue)).reshape(x.shape),
        mean: () => reduce(tf.mul(tf.neg(oneOverSqrtVariance), dyTimesScale)),
        variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
        scale: () => reduce(tf.mul(grad, tf.mul(xMinusMean, oneOverSqrtVariance))),
        offset: () => reduce(grad),
      };
    },
    [MARKER]: true,
  };
  tf.registerGradient(config);
}
