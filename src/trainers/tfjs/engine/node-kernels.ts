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
 * Kernels tfjs-node 4.22 lacks that training needs, done with the TensorFlow
 * op that does the same. `Transform` (tf.image.transform: the augmentation's
 * zoom, rotation and shifts) is ImageProjectiveTransformV3 in libtensorflow.
 */
interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: { name: string; type: number; value: unknown }[], inputs: (Tensor | TensorInfo)[]): Tensor;
}

export function registerNodeKernels(tf: Tf): void {
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
