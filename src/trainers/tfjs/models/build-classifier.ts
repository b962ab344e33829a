import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Architecture } from '../tfjs-config.js';
import type { Tf } from '../engine/select-engine.js';
import { mobileNetV2Base, smallCnnBase, vgg16Base, xceptionBase, type BaseOptions } from './base-architectures.js';
import { loadModelFromFolder } from './model-folder-io.js';
import { loadPretrainedMobileNetV2, PRETRAINED_MOBILENET_V2 } from './pretrained-mobilenet-v2.js';

export interface ClassifierOptions {
  architecture: Architecture;
  imageSize: number;
  channels: number;
  numClasses: number;
  /** Folder of a pretrained base in tfjs layers format; null: a randomly initialised base. */
  baseModelPath: string | null;
  /** MOBILENET_V2: the bundled pretrained backbone (pretrained-mobilenet-v2.ts). */
  pretrainedBase?: boolean;
  dropout: number;
  seed?: number | null;
}

export interface Classifier {
  model: LayersModel;
  /** The convolutional base; its layers are shared with `model`. */
  base: LayersModel | null;
  /** True when the base came from baseModelPath or the bundled backbone (and is frozen for the first phase). */
  pretrained: boolean;
  /** What the pretrained base is, in words, when it is the bundled one; else null. */
  baseDescription: string | null;
}

const BASES: Record<Architecture, (tf: Tf, options: BaseOptions) => LayersModel> = {
  VGG16: vgg16Base,
  XCEPTION: xceptionBase,
  MOBILENET_V2: mobileNetV2Base,
  SMALL_CNN: smallCnnBase,
};

/**
 * A loaded model with its top removed: cut after the last layer that still yields feature maps
 * (rank 4), so both a Keras "notop" base and a whole trained classifier can serve as a base.
 */
function withoutTop(tf: Tf, loaded: LayersModel, source: string): LayersModel {
  const output = loaded.outputs[0];
  if (output.shape.length === 4) return loaded;
  const lastFeatureLayer = [...loaded.layers].reverse().find((layer) => {
    const shape = layer.outputShape;
    return Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length === 4;
  });
  if (!lastFeatureLayer) throw new Error(`The model in ${source} has no convolutional feature maps to use as a base`);
  // A nested base (a model used as a layer) has several inbound nodes; the last is this model's.
  const features = lastFeatureLayer.getOutputAt(lastFeatureLayer.inboundNodes.length - 1) as SymbolicTensor;
  return tf.model({ inputs: loaded.inputs, outputs: features, name: `${loaded.name}_notop` });
}

function checkInput(base: LayersModel, options: ClassifierOptions, source: string): void {
  const [, h, w, c] = base.inputs[0].shape;
  const expected = [options.imageSize, options.imageSize, options.channels];
  if ((h !== null && h !== expected[0]) || (w !== null && w !== expected[1]) || c !== expected[2]) {
    throw new Error(
      `The base in ${source} takes ${h ?? '?'}×${w ?? '?'}×${c} images but the run uses ${expected.join('×')}: set imageSize and channels to match`,
    );
  }
}

/**
 * The paper's classifier: a base without its top, then global average pooling, dropout and a
 * softmax dense layer over the labels. A loaded (pretrained) base is frozen; unfreezeAll()
 * makes it trainable for fine-tuning.
 */
export async function buildClassifier(tf: Tf, options: ClassifierOptions): Promise<Classifier> {
  let base: LayersModel;
  const bundled = options.pretrainedBase === true && options.architecture === 'MOBILENET_V2';
  const pretrained = options.baseModelPath !== null || bundled;
  if (bundled) {
    base = await loadPretrainedMobileNetV2(tf, options.imageSize);
    checkInput(base, options, 'the bundled MobileNetV2');
    base.trainable = false;
    keepBatchNormInInference(base);
  } else if (options.baseModelPath !== null) {
    base = withoutTop(tf, await loadModelFromFolder(tf, options.baseModelPath), options.baseModelPath);
    checkInput(base, options, options.baseModelPath);
    base.trainable = false;
    keepBatchNormInInference(base);
  } else {
    // ImageNet weights cannot be downloaded here: without a base folder it trains from scratch.
    base = BASES[options.architecture](tf, { imageSize: options.imageSize, channels: options.channels, seed: options.seed ?? null });
  }
  // The top is added onto the base's own graph (not a nested model), so saved classifiers load
  // back flat and can serve as bases themselves.
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(base.outputs[0]) as SymbolicTensor;
  // Seeded per step by ClassifierTraining when the run has a seed (a fixed seed would repeat one mask).
  const dropped = tf.layers.dropout({ rate: options.dropout, name: 'top_dropout' }).apply(pooled) as SymbolicTensor;
  const probabilities = tf.layers
    .dense({
      units: options.numClasses,
      activation: 'softmax',
      name: 'predictions',
      kernelInitializer: tf.initializers.glorotUniform(options.seed == null ? {} : { seed: options.seed + 100_000 }),
    })
    .apply(dropped) as SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: probabilities, name: `${options.architecture.toLowerCase()}_classifier` });
  return { model, base, pretrained, baseDescription: bundled ? PRETRAINED_MOBILENET_V2.description : null };
}

/**
 * A pretrained base's batch norm layers normalise with the statistics they were trained with,
 * also while the top (and, fine-tuning, the base) trains, as Keras does for a frozen
 * BatchNormalization and its transfer-learning guide keeps while fine-tuning. tfjs-layers does
 * not: with `training: true` it normalises by each batch and moves the stored statistics, even
 * for a frozen layer, so the head learnt on features the evaluation never sees, and pretrained
 * runs stayed at chance (docs/training.md).
 */
function keepBatchNormInInference(base: LayersModel): void {
  for (const layer of base.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
  }
}

/** Makes every layer trainable again (fine-tuning). */
export function unfreezeAll(classifier: Classifier): void {
  classifier.model.trainable = true;
  if (classifier.base) classifier.base.trainable = true;
}
