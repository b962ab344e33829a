import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Tf } from '../engine/select-engine.js';

/**
 * Convolutional bases ("include_top=False") with the layer structure and names of Keras
 * applications, so weights converted from Keras (tensorflowjs_converter) line up by name.
 * They are randomly initialised: ImageNet weights cannot be downloaded here, so a pretrained
 * base comes from `baseModelPath` instead (see build-classifier.ts).
 */
export interface BaseOptions {
  imageSize: number;
  channels: number;
  /** Seeds the kernel initialisers, for reproducible runs; null: unseeded. */
  seed: number | null;
}

type Layer = { apply(input: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] | unknown };

/** Applies layers in order to a symbolic tensor. */
function chain(x: SymbolicTensor, ...layers: Layer[]): SymbolicTensor {
  return layers.reduce((t, layer) => layer.apply(t) as SymbolicTensor, x);
}

/** A seeded Glorot-uniform initialiser per layer (Keras' default), distinct seeds per layer. */
function initializers(tf: Tf, seed: number | null) {
  let next = seed ?? 0;
  return () => (seed === null ? tf.initializers.glorotUniform({}) : tf.initializers.glorotUniform({ seed: next++ }));
}

/** VGG16 without its top: 13 convolutions in 5 blocks (14,714,688 parameters at 3 channels). */
export function vgg16Base(tf: Tf, options: BaseOptions): LayersModel {
  const init = initializers(tf, options.seed);
  const input = tf.input({ shape: [options.imageSize, options.imageSize, options.channels] });
  const blocks = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]] as const;
  let x = input;
  blocks.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      x = chain(x, tf.layers.conv2d({
        filters, kernelSize: 3, padding: 'same', activation: 'relu',
        kernelInitializer: init(), name: `block${b + 1}_conv${c}`,
      }));
    }
    x = chain(x, tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }));
  });
  return tf.model({ inputs: input, outputs: x, name: 'vgg16' });
}

/** Xception without its top (20,861,480 parameters); needs an input of at least 71 px. */
export function xceptionBase(tf: Tf, options: BaseOptions): LayersModel {
  if (options.imageSize < 71) throw new Error(`Xception needs imageSize of at least 71 (got ${options.imageSize})`);
  const init = initializers(tf, options.seed);
  const bn = (name?: string) => tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.99, name });
  const relu = (name: string) => tf.layers.activation({ activation: 'relu', name });
  const sepconv = (filters: number, name: string) =>
    tf.layers.separableConv2d({
      filters, kernelSize: 3, padding: 'same', useBias: false, name,
      depthwiseInitializer: init(), pointwiseInitializer: init(),
    });
  const shortcut = (x: SymbolicTensor, filters: number) =>
    chain(x, tf.layers.conv2d({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }), bn());
  const pool = (name: string) => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name });

  const input = tf.input({ shape: [options.imageSize, options.imageSize, options.channels] });
  let x = chain(input,
    tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, useBias: false, kernelInitializer: init(), name: 'block1_conv1' }),
    bn('block1_conv1_bn'), relu('block1_conv1_act'),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, useBias: false, kernelInitializer: init(), name: 'block1_conv2' }),
    bn('block1_conv2_bn'), relu('block1_conv2_act'));

  // Entry flow: blocks 2-4 halve the resolution, with a strided 1×1 shortcut.
  for (const [block, filters] of [[2, 128], [3, 256], [4, 728]] as const) {
    const residual = shortcut(x, filters);
    const p = `block${block}`;
    // Block 2 starts straight after block 1's activation; later blocks start with a ReLU.
    if (block !== 2) x = chain(x, relu(`${p}_sepconv1_act`));
    x = chain(x, sepconv(filters, `${p}_sepconv1`), bn(`${p}_sepconv1_bn`), relu(`${p}_sepconv2_act`),
      sepconv(filters, `${p}_sepconv2`), bn(`${p}_sepconv2_bn`), pool(`${p}_pool`));
    x = tf.layers.add().apply([x, residual]) as SymbolicTensor;
  }
  // Middle flow: 8 identity-residual blocks of three separable convolutions.
  for (let block = 5; block <= 12; block++) {
    const residual = x;
    for (let i = 1; i <= 3; i++) {
      const p = `block${block}_sepconv${i}`;
      x = chain(x, relu(`${p}_act`), sepconv(728, p), bn(`${p}_bn`));
    }
    x = tf.layers.add().apply([x, residual]) as SymbolicTensor;
  }
  // Exit flow.
  const residual = shortcut(x, 1024);
  x = chain(x, relu('block13_sepconv1_act'), sepconv(728, 'block13_sepconv1'), bn('block13_sepconv1_bn'),
    relu('block13_sepconv2_act'), sepconv(1024, 'block13_sepconv2'), bn('block13_sepconv2_bn'), pool('block13_pool'));
  x = tf.layers.add().apply([x, residual]) as SymbolicTensor;
  x = chain(x, sepconv(1536, 'block14_sepconv1'), bn('block14_sepconv1_bn'), relu('block14_sepconv1_act'),
    sepconv(2048, 'block14_sepconv2'), bn('block14_sepconv2_bn'), relu('block14_sepconv2_act'));
  return tf.model({ inputs: input, outputs: x, name: 'xception' });
}

/** Keras' _make_divisible: channel counts rounded to a multiple of 8. */
function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** MobileNetV2 (alpha 1.0) without its top (2,257,984 parameters at 3 channels). */
export function mobileNetV2Base(tf: Tf, options: BaseOptions): LayersModel {
  const init = initializers(tf, options.seed);
  const bn = (name: string) => tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  const conv1x1 = (filters: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(), name });

  const invertedResidual = (inputs: SymbolicTensor, filters: number, stride: 1 | 2, expansion: number, id: number) => {
    const inChannels = inputs.shape[3] as number;
    const pointwise = makeDivisible(filters);
    let prefix = `block_${id}_`;
    let x = inputs;
    if (id > 0) x = chain(x, conv1x1(expansion * inChannels, `${prefix}expand`), bn(`${prefix}expand_BN`), relu6(`${prefix}expand_relu`));
    else prefix = 'expanded_conv_';
    if (stride === 2) {
      // Keras' correct_pad: pad so a valid stride-2 3×3 convolution halves the size exactly.
      const size = x.shape[1] as number;
      const before = size % 2 === 0 ? 0 : 1;
      x = chain(x, tf.layers.zeroPadding2d({ padding: [[before, 1], [before, 1]], name: `${prefix}pad` }));
    }
    x = chain(x,
      tf.layers.depthwiseConv2d({
        kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false,
        depthwiseInitializer: init(), name: `${prefix}depthwise`,
      }),
      bn(`${prefix}depthwise_BN`), relu6(`${prefix}depthwise_relu`),
      conv1x1(pointwise, `${prefix}project`), bn(`${prefix}project_BN`));
    if (inChannels === pointwise && stride === 1) x = tf.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as SymbolicTensor;
    return x;
  };

  const input = tf.input({ shape: [options.imageSize, options.imageSize, options.channels] });
  let x = chain(input,
    tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: 'Conv1' }),
    bn('bn_Conv1'), relu6('Conv1_relu'));
  // [filters, stride, expansion] per block, as in the paper's table 2.
  const blocks: [number, 1 | 2, number][] = [
    [16, 1, 1],
    [24, 2, 6], [24, 1, 6],
    [32, 2, 6], [32, 1, 6], [32, 1, 6],
    [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
    [96, 1, 6], [96, 1, 6], [96, 1, 6],
    [160, 2, 6], [160, 1, 6], [160, 1, 6],
    [320, 1, 6],
  ];
  blocks.forEach(([filters, stride, expansion], id) => {
    x = invertedResidual(x, filters, stride, expansion, id);
  });
  x = chain(x, conv1x1(1280, 'Conv_1'), bn('Conv_1_bn'), relu6('out_relu'));
  return tf.model({ inputs: input, outputs: x, name: 'mobilenetv2_1.00' });
}

/**
 * conv16–maxpool–conv32–maxpool–conv64, each convolution followed by batch normalisation and ReLU:
 * small enough to train on a CPU (training-notes.md).
 *
 * Batch normalisation because, without it, this model trained from scratch sat at chance (loss
 * ln 4) for 10+ epochs on the synthetic OCT scans before it started to learn (measured at 64 px:
 * Adam 1e-3 and 3e-3, with and without augmentation and class weights), so the recipe's early
 * stopping (patience 5) ended it at chance. With it, training leaves chance in 1–2 epochs.
 * Momentum 0.9 (Keras' default is 0.99) so that the moving statistics used for validation settle
 * within the few hundred steps a CPU run has.
 */
export function smallCnnBase(tf: Tf, options: BaseOptions): LayersModel {
  const init = initializers(tf, options.seed);
  // No bias: the batch normalisation's beta takes its place.
  const conv = (filters: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(), name });
  const bn = (name: string) => tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3, name });
  const relu = (name: string) => tf.layers.activation({ activation: 'relu', name });
  const input = tf.input({ shape: [options.imageSize, options.imageSize, options.channels] });
  const x = chain(input,
    conv(16, 'conv1'), bn('bn1'), relu('relu1'), tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
    conv(32, 'conv2'), bn('bn2'), relu('relu2'), tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
    conv(64, 'conv3'), bn('bn3'), relu('relu3'));
  return tf.model({ inputs: input, outputs: x, name: 'small_cnn' });
}
