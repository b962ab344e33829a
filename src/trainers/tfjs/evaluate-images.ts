import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { loadImageBatch } from './images/image-loader.js';
import type { Tf } from './engine/select-engine.js';
import { batches, type LabeledImage } from './data-splits.js';

/** Keras' epsilon for clipping probabilities in categorical cross-entropy. */
export const PROBABILITY_EPSILON = 1e-7;

export interface EvaluationPass {
  /** Mean (unweighted) categorical cross-entropy, as Keras reports val_loss. */
  loss: number;
  accuracy: number;
  /** Rows: true label, columns: predicted label, in `labels` order. */
  confusionMatrix: number[][];
}

/**
 * Runs the model in inference mode over images streamed in batches (memory stays bounded by
 * one batch). `beforeBatch` runs before each batch, e.g. to check for cancellation.
 */
export async function evaluateImages(args: {
  tf: Tf;
  model: LayersModel;
  images: readonly LabeledImage[];
  labels: readonly string[];
  imageSize: number;
  channels: 1 | 3;
  batchSize: number;
  beforeBatch?: () => Promise<void>;
}): Promise<EvaluationPass> {
  const { tf, model, labels } = args;
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const confusionMatrix = labels.map(() => labels.map(() => 0));
  let lossSum = 0;
  let correct = 0;
  for (const batch of batches(args.images, args.batchSize)) {
    await args.beforeBatch?.();
    const xs: Tensor4D = await loadImageBatch(tf, batch.map((image) => image.uri), { imageSize: args.imageSize, channels: args.channels });
    const probabilities = tf.tidy(() => model.apply(xs, { training: false }) as Tensor);
    xs.dispose();
    const values = await probabilities.data();
    probabilities.dispose();
    batch.forEach((image, row) => {
      const truth = labelIndex.get(image.label);
      if (truth === undefined) throw new Error(`Image ${image.uri} has label "${image.label}", which is not one of ${labels.join(', ')}`);
      const offset = row * labels.length;
      let predicted = 0;
      for (let k = 1; k < labels.length; k++) if (values[offset + k] > values[offset + predicted]) predicted = k;
      const p = Math.min(Math.max(values[offset + truth], PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
      lossSum -= Math.log(p);
      if (predicted === truth) correct++;
      confusionMatrix[truth][predicted]++;
    });
  }
  const n = args.images.length;
  return { loss: n ? lossSum / n : Number.NaN, accuracy: n ? correct / n : Number.NaN, confusionMatrix };
}
