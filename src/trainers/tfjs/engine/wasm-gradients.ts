import type { backend_util, KernelConfig, NamedAttrMap, Tensor, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type * as TfModule from '@tensorflow/tfjs';

/**
 * Gradient kernels for the 'wasm' backend, composed of kernels it has (XNNPACK convolutions,
 * transposes, pads, slices).
 *
 * Stock tfjs-backend-wasm 4.22 cannot train a CNN: Conv2DBackpropFilter and the depthwise
 * gradients are not registered. Its own Conv2DBackpropInput is plain loops; doing it as an
 * ordinary convolution doubled training throughput here (shared/training-notes.md).
 * Only NHWC; convolution gradients in tfjs only exist for dilation 1 (depthwise may dilate
 * with stride 1), which is what the models use.
 */
type Tf = typeof TfModule;
type Pads = { top: number; bottom: number; left: number; right: number };

const MARKER = Symbol.for('epochal.wasmGradients');

function asTensor(tf: Tf, info: TensorInfo): Tensor {
  // The engine passes real tensors to kernels; a bare TensorInfo gets a handle of its own.
  return typeof (info as Tensor).dataSync === 'function' ? (info as Tensor) : tf.engine().makeTensorFromTensorInfo(info);
}

function requireNhwc(attrs: NamedAttrMap, kernel: string): void {
  const format = attrs.dataFormat as string | undefined;
  if (format && format !== 'NHWC' && format !== 'channelsLast') {
    throw new Error(`${kernel} on wasm: only NHWC is supported (got ${format})`);
  }
}

/**
 * Inserts stride-1 zeros after every row and column: [B,h,w,C] -> [B,h*sH,w*sW,C]. The trailing
 * zeros are accounted for by the caller's padding (see padOrCrop).
 */
function dilateSpatial(tf: Tf, t: Tensor4D, sH: number, sW: number): Tensor4D {
  if (sH === 1 && sW === 1) return t;
  const [b, h, w, c] = t.shape;
  const spread = tf.pad(t.reshape([b, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sH - 1], [0, 0], [0, sW - 1], [0, 0]]);
  return spread.reshape([b, h * sH, w * sW, c]);
}

/** Crops where a padding is negative and returns the remaining (non-negative) explicit padding. */
function padOrCrop(t: Tensor4D, pads: Pads): { tensor: Tensor4D; pad: backend_util.ExplicitPadding } {
  const [b, h, w, c] = t.shape;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const tensor =
    cropTop + cropBottom + cropLeft + cropRight > 0
      ? t.slice([0, cropTop, cropLeft, 0], [b, h - cropTop - cropBottom, w - cropLeft - cropRight, c])
      : t;
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  return { tensor, pad };
}

/**
 * Padding that turns the (stride-dilated) output gradient into the input gradient by a valid,
 * stride-1 convolution with the flipped filter: the result must be exactly H×W.
 */
function inputGradientPads(info: backend_util.Conv2DInfo, dilatedH: number, dilatedW: number): Pads {
  const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
  return {
    top,
    left,
    bottom: info.inHeight + info.effectiveFilterHeight - 1 - top - dilatedH,
    right: info.inWidth + info.effectiveFilterWidth - 1 - left - dilatedW,
  };
}

function conv2DBackpropFilter(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: NamedAttrMap): Tensor4D {
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, filterShape, attrs.strides as [number, number], 1,
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined,
  );
  const [kh, kw, ci, co] = filterShape;
  // dW[kh,kw,ci,co] = Σ_b,oh,ow x[b, oh·s+kh, ow·s+kw, ci]·dy[b,oh,ow,co]: a convolution with
  // batch ci, channels b, of the padded input with dy as the filter, dilated by the stride.
  const xT = tf.transpose(x, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  const { padInfo } = info;
  const pad: backend_util.ExplicitPadding = [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]];
  const full = tf.conv2d(xT, dyT, 1, pad, 'NHWC', [info.strideHeight, info.strideWidth]);
  return tf.transpose(full.slice([0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3]);
}

function conv2DBackpropInput(tf: Tf, dy: Tensor4D, filter: Tensor4D, attrs: NamedAttrMap): Tensor4D {
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape, attrs.strides as [number, number], 1,
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined,
  );
  const dilated = dilateSpatial(tf, dy, info.strideHeight, info.strideWidth);
  const { tensor, pad } = padOrCrop(dilated, inputGradientPads(info, dilated.shape[1], dilated.shape[2]));
  // Flipped filter with in/out channels swapped: [kh,kw,ci,co] -> [kh,kw,co,ci].
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(tensor, flipped, 1, pad);
}

function depthwiseBackpropFilter(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: NamedAttrMap): Tensor4D {
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, filterShape, attrs.strides as [number, number], attrs.dilations as [number, number],
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, true,
  );
  const [b, h, w, c] = x.shape;
  const [oh, ow] = [dy.shape[1], dy.shape[2]];
  const [kh, kw, , m] = filterShape;
  // One depthwise convolution over channels (b, c) of a single image, with dy as the filter
  // (multiplier m), dilated by the stride; then summed over the batch.
  const xR = tf.transpose(x, [1, 2, 0, 3]).reshape<Tensor4D>([1, h, w, b * c]);
  const dyR = tf.transpose(dy, [1, 2, 0, 3]).reshape<Tensor4D>([oh, ow, b * c, m]);
  const { padInfo } = info;
  const pad: backend_util.ExplicitPadding = [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]];
  const full = tf.depthwiseConv2d(xR, dyR, [info.dilationHeight, info.dilationWidth], pad, 'NHWC', [
    info.strideHeight,
    info.strideWidth,
  ]);
  const cropped = full.slice([0, 0, 0, 0], [1, kh, kw, b * c * m]).reshape([kh, kw, b, c * m]);
  return tf.sum(cropped, 2).reshape([kh, kw, c, m]);
}

function depthwiseBackpropInput(tf: Tf, dy: Tensor4D, filter: Tensor4D, attrs: NamedAttrMap): Tensor4D {
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape, attrs.strides as [number, number], attrs.dilations as [number, number],
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, true,
  );
  const [kh, kw, c, m] = filter.shape;
  const dilated = dilateSpatial(tf, dy, info.strideHeight, info.strideWidth);
  const { tensor, pad } = padOrCrop(dilated, inputGradientPads(info, dilated.shape[1], dilated.shape[2]));
  const flipped = tf.reverse(filter, [0, 1]).reshape<Tensor4D>([kh, kw, c * m, 1]);
  const perOutput = tf.depthwiseConv2d(tensor, flipped, 1, pad, 'NHWC', [info.dilationHeight, info.dilationWidth]);
  if (m === 1) return perOutput;
  const [b, hh, ww] = perOutput.shape;
  return tf.sum(perOutput.reshape([b, hh, ww, c, m]), 4) as Tensor4D;
}

type GradientKernel = (tf: Tf, a: Tensor4D, b: Tensor4D, attrs: NamedAttrMap) => Tensor4D;

const KERNELS: { name: string; inputs: [string, string]; compute: GradientKernel }[] = [
  { name: 'Conv2DBackpropFilter', inputs: ['x', 'dy'], compute: conv2DBackpropFilter },
  { name: 'Conv2DBackpropInput', inputs: ['dy', 'filter'], compute: conv2DBackpropInput },
  { name: 'DepthwiseConv2dNativeBackpropFilter', inputs: ['x', 'dy'], compute: depthwiseBackpropFilter },
  { name: 'DepthwiseConv2dNativeBackpropInput', inputs: ['dy', 'filter'], compute: depthwiseBackpropInput },
];

/** Registers (or replaces) the gradient kernels on the 'wasm' backend of this `tf` instance. Idempotent. */
export function registerWasmGradients(tf: Tf): void {
  for (const kernel of KERNELS) {
    const existing = tf.getKernel(kernel.name, 'wasm') as (KernelConfig & { [MARKER]?: true }) | undefined;
    if (existing?.[MARKER]) continue;
    if (existing) tf.unregisterKernel(kernel.name, 'wasm');
    const config: KernelConfig & { [MARKER]: true } = {
      kernelName: kernel.name,
      backendName: 'wasm',
      // Runs nested ops inside the kernel: the engine does not tape them (kernel depth > 0), and
      // tidy frees every intermediate; the returned tensor becomes the kernel's output.
      kernelFunc: ({ inputs, attrs = {} }) => {
        requireNhwc(attrs, kernel.name);
        const a = asTensor(tf, inputs[kernel.inputs[0]] as TensorInfo) as Tensor4D;
        const b = asTensor(tf, inputs[kernel.inputs[1]] as TensorInfo) as Tensor4D;
        return tf.tidy(() => kernel.compute(tf, a, b, attrs));
      },
      [MARKER]: true,
    };
    tf.registerKernel(config);
  }
}
