import util from 'node:util';
import type { KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs';
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

/**
 * Kernels tfjs-node 4.22 lacks or does slowly, done with the TensorFlow op that
 * does the same. `Transform` (tf.image.transform: the augmentation's zoom,
 * rotation and shifts) is ImageProjectiveTransformV3 in libtensorflow; the ReLU
 * gradient is ReluGrad (see registerReluGradient).
 */
interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: { name: string; type: number; value: unknown }[], inputs: (Tensor | TensorInfo)[]): Tensor;
}

export function registerNodeKernels(tf: Tf): void {
  registerReluGradient(tf);
  if (tf.getKernel('Transform', 'tensorflow')) return;
  const transform: KernelConfig = {
    kernelName: 'Transform',
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { image, transforms } = inputs as { image: TensorInfo; transforms: TensorInfo };
      const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as {
        interpolation: 'nearest' | 'bilinear'; fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest'; fillValue: number; outputShape?: [number, number];
      };
      const node = backend as unknown as NodeBackend;
      const [, height, width] = image.shape;
      const shape = tf.tensor1d(outputShape ?? [height, width], 'int32');
      const fill = tf.scalar(fillValue, 'float32');
      try {
        return node.executeSingleOutput('ImageProjectiveTransformV3', [
          { name: 'dtype', type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT },
          { name: 'interpolation', type: node.binding.TF_ATTR_STRING, value: interpolation.toUpperCase() },
          { name: 'fill_mode', type: node.binding.TF_ATTR_STRING, value: fillMode.toUpperCase() },
        ], [image, transforms, shape, fill]) as unknown as TensorInfo;
      } finally {
        shape.dispose();
        fill.dispose();
      }
    },
  };
  tf.registerKernel(transform);
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
  if (tf.getKernel(RELU_GRAD, 'tensorflow')) return;
  tf.registerKernel({
    kernelName: RELU_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
      const node = backend as unknown as NodeBackend;
      const type = { name: 'T', type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT };
      return node.executeSingleOutput('ReluGrad', [type], [dy, x]) as unknown as TensorInfo;
    },
  });
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
