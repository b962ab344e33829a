import util from 'node:util';
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from './select-engine.js';

/**
 * tfjs-node 4.22's kernels call `util.isNullOrUndefined`, which Node 23 removed
 * (DEP0051): on Node 24 every training failed with "isNullOrUndefined is not a
 * function". Put it back, as it was, before tfjs-node(-gpu) loads.
 */
export function restoreUtilForTfjsNode(): void {
  const legacy = util as typeof util & { isNullOrUndefined?: (value: unknown) => boolean };
  legacy.isNullOrUndefined ??= (value: unknown) => value === null || value === undefined;
}

interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: (Tensor | TensorInfo)[]): Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: (Tensor | TensorInfo)[], count: number): Tensor[];
}

type OpAttr = { name: string; type: number; value: unknown };

/** Registers `kernelName` on the tensorflow backend, once, as `run` on libtensorflow's ops; false when already there. */
function registerNodeKernel(tf: Tf, kernelName: string, run: (node: NodeBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) => Tensor | Tensor[]): boolean {
  if (tf.getKernel(kernelName, 'tensorflow')) return false;
  const config: KernelConfig = {
    kernelName,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs, backend }) =>
      run(backend as unknown as NodeBackend, inputs as Record<string, TensorInfo>, attrs as Record<string, unknown>) as unknown as TensorInfo | TensorInfo[],
  };
  tf.registerKernel(config);
  return true;
}

/** libtensorflow's `T` (or another type attribute) set to float32. */
const float32Attr = (node: NodeBackend, name = 'T'): OpAttr => ({ name, type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT });

/**
 * Registers the kernels and gradients tfjs-node 4.22 lacks or does slowly, done with the TensorFlow op that
 * does the same. `Transform` (tf.image.transform: the augmentation's zoom,
 * rotation and shifts) is ImageProjectiveTransformV3 in libtensorflow; the ReLU
 * gradient is ReluGrad (see registerReluGradient).
 */
export function registerNodeKernels(tf: Tf): void {
  registerReluGradient(tf);
  registerBatchNormGradientKernel(tf);
  registerMeanGradient(tf);
  registerNodeKernel(tf, 'Transform', (node, inputs, attrs) => {
    const { image, transforms } = inputs;
    const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as {
      interpolation: 'nearest' | 'bilinear'; fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest'; fillValue: number; outputShape?: [number, number];
    };
    const [, height, width] = image.shape;
    const shape = tf.tensor1d(outputShape ?? [height, width], 'int32');
    const fill = tf.scalar(fillValue, 'float32');
    try {
      return node.executeSingleOutput('ImageProjectiveTransformV3', [
        float32Attr(node, 'dtype'),
        { name: 'interpolation', type: node.binding.TF_ATTR_STRING, value: interpolation.toUpperCase() },
        { name: 'fill_mode', type: node.binding.TF_ATTR_STRING, value: fillMode.toUpperCase() },
      ], [image, transforms, shape, fill]);
    } finally {
      shape.dispose();
      fill.dispose();
    }
  });
}

const RELU_GRAD = 'EpochalReluGrad';

/**
 * tfjs' ReLU gradient is `dy × cast(step(x))`, and tfjs-node's Step is seven ops
 * (isNaN, greater, ones, fill, two selects) with two full-size temporaries: in
 * `npm run bench:train` Step alone took 17% of a training step. libtensorflow's
 * ReluGrad does the whole gradient in one op. The gradient registry is shared
 * with the other engines in the process, so other backends keep tfjs' own.
 */
function registerReluGradient(tf: Tf): void {
  const added = registerNodeKernel(tf, RELU_GRAD, (node, { dy, x }) => node.executeSingleOutput('ReluGrad', [float32Attr(node)], [dy, x]));
  if (!added) return;
  const stock = tf.getGradient('Relu')!;
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== 'tensorflow' || (dy as Tensor).dtype !== 'float32') return stock.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as Tensor, x: saved[0] }, {}) as Tensor };
    },
  });
}

const BATCH_NORM_GRAD = 'EpochalFusedBatchNormGrad';

/**
 * The gradient of FusedBatchNorm (tf.batchNorm: x, mean and variance in, the
 * normalised x out) in one libtensorflow op: FusedBatchNormGradV3 with
 * is_training false treats mean and variance as inputs, as tfjs does, and gives
 * the gradients of x, scale and offset; those of mean and variance follow from
 * the last two per channel: d mean = -scale·r·Σdy and d variance = -½·scale·r²·Σ(dy·(x-mean)·r),
 * with r = 1/√(variance + ε). Composed, that was ten full-size ops per batch norm.
 * Only for 4-D NHWC float32 with per-channel statistics; anything else keeps the
 * gradient registered before (batch-norm-gradient.ts or tfjs').
 */
function registerBatchNormGradientKernel(tf: Tf): void {
  const added = registerNodeKernel(tf, BATCH_NORM_GRAD, (node, { dy, x, scale, mean, variance }, attrs) => {
    const [dx, dScale, dOffset, ...reserved] = node.executeMultipleOutputs('FusedBatchNormGradV3', [
      float32Attr(node), float32Attr(node, 'U'),
      { name: 'epsilon', type: node.binding.TF_ATTR_FLOAT, value: attrs.varianceEpsilon },
      { name: 'data_format', type: node.binding.TF_ATTR_STRING, value: 'NHWC' },
      { name: 'is_training', type: node.binding.TF_ATTR_BOOL, value: false },
    ], [dy, x, scale, mean, variance, mean], 5);
    tf.dispose(reserved);
    return [dx, dScale, dOffset];
  });
  if (!added) return;
  const before = tf.getGradient('FusedBatchNorm')!;
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const grad = dy as Tensor;
      const fusable = tf.getBackend() === 'tensorflow' && x.rank === 4 && mean.rank === 1 && variance.rank === 1 && grad.dtype === 'float32';
      if (!fusable) return before.gradFunc(dy, saved, attrs);
      const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
      const scaleValue = scale ?? tf.ones([x.shape[x.rank - 1]]);
      // Computed here, not in the closures: tfjs runs each closure in its own tidy, which would
      // dispose the outputs the other closures need. (tfjs' own gradients share terms the same way.)
      const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_GRAD, { dy: grad, x, scale: scaleValue, mean, variance }, { varianceEpsilon }) as Tensor[];
      const r = () => tf.rsqrt(tf.add(variance, varianceEpsilon));
      return {
        x: () => dx,
        scale: () => dScale,
        offset: () => dOffset,
        mean: () => tf.mul(tf.neg(tf.mul(scaleValue, r())), dOffset),
        variance: () => tf.mul(tf.mul(tf.mul(scaleValue, tf.square(r())), -0.5), dScale),
      };
    },
  });
}

const MEAN_GRADIENT = Symbol.for('epochal.nodeMeanGradient');

/**
 * tfjs' Mean gradient is `dy × ones(x.shape) / n`: three full-size ops (a ones
 * tensor, a multiply, a divide) for every batch norm's statistics and every
 * pooling by mean. On tfjs-node it is one broadcast of `dy / n` instead.
 */
function registerMeanGradient(tf: Tf): void {
  const before = tf.getGradient('Mean')!;
  if ((before as { [MEAN_GRADIENT]?: true })[MEAN_GRADIENT]) return;
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const grad = dy as Tensor;
      if (tf.getBackend() !== 'tensorflow' || grad.dtype !== 'float32') return before.gradFunc(dy, saved, attrs);
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const kept = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      const count = axes.reduce((n, axis) => n * x.shape[axis], 1);
      return { x: () => tf.broadcastTo(tf.div(tf.reshape(grad, kept), count), x.shape) };
    },
    [MEAN_GRADIENT]: true,
  } as GradConfig);
}
