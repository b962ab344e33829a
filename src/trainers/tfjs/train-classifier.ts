import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createRandom } from '../../kernel/random.js';
import { balancedClassWeights } from './class-weights.js';
import { ClassifierTraining } from './classifier-training.js';
import { countByLabel, stratifiedHoldout } from './data-splits.js';
import { evaluateImages } from './evaluate-images.js';
import { buildClassifier, unfreezeAll, type Classifier } from './models/build-classifier.js';
import { saveModelToFolder } from './models/model-folder-io.js';
import { RECIPE_CALLBACKS } from './tfjs-config.js';
import type { ModelSummary, TrainArgs, TrainArtifact, TrainResult } from './train-types.js';

export type { LabeledImage } from './data-splits.js';
export type { EpochReport, ModelSummary, TrainArgs, TrainArtifact, TrainHooks, TrainResult } from './train-types.js';
export { TrainingCancelledError } from './train-types.js';

function checkInputs(args: TrainArgs): void {
  if (args.labels.length < 2) throw new Error(`Training needs at least 2 labels, got ${args.labels.length}`);
  if (new Set(args.labels).size !== args.labels.length) throw new Error(`Labels must be unique: ${args.labels.join(', ')}`);
  const known = new Set(args.labels);
  for (const image of [...args.train, ...(args.validation ?? []), ...args.test]) {
    if (!known.has(image.label)) throw new Error(`Image ${image.uri} has label "${image.label}", which is not one of ${args.labels.join(', ')}`);
  }
  if (args.train.length === 0) throw new Error('There are no training images');
  if (args.test.length === 0) throw new Error('There are no test images to evaluate on');
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(path.join(dir, e.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/** The model's three files: as the last epoch left it, the best checkpoint (restored into `model`), the CSV log. */
async function saveArtifacts(args: TrainArgs, training: ClassifierTraining): Promise<TrainArtifact[]> {
  const { tf } = args.engine;
  const finalDir = path.join(args.workDir, 'final-model');
  await saveModelToFolder(tf, training.model, finalDir);
  training.restoreBest();
  const modelDir = path.join(args.workDir, 'best-model');
  await saveModelToFolder(tf, training.model, modelDir);
  return [
    { kind: 'final-model', path: finalDir, bytes: await folderBytes(finalDir) },
    { kind: 'model', path: modelDir, bytes: await folderBytes(modelDir) },
    { kind: 'csv-log', path: training.csvPath, bytes: (await stat(training.csvPath)).size },
  ];
}

async function buildModel(args: TrainArgs): Promise<{ classifier: Classifier; summary: ModelSummary }> {
  const { config } = args;
  const classifier = await buildClassifier(args.engine.tf, {
    architecture: config.architecture,
    imageSize: config.imageSize,
    channels: config.channels as 1 | 3,
    numClasses: args.labels.length,
    baseModelPath: config.baseModelPath,
    pretrainedBase: config.pretrained,
    dropout: RECIPE_CALLBACKS.dropout,
    seed: config.seed,
  });
  const summary: ModelSummary = {
    architecture: config.architecture,
    pretrained: classifier.pretrained,
    baseModelPath: config.baseModelPath,
    baseDescription: classifier.baseDescription,
    parameters: classifier.model.countParams(),
  };
  return { classifier, summary };
}

/**
 * Trains a classifier with the recipe: a (frozen, when pretrained) base with a new top,
 * Adam, class-weighted categorical cross-entropy, augmentation of training batches, best
 * checkpoint / early stopping / LR reduction on val_loss, a CSV log; then fine-tuning with all
 * layers unfrozen; then evaluation on the test images.
 *
 * Images are loaded one batch at a time (the next batch decodes while the current one trains)
 * and every tensor is disposed per batch: the WASM heap never shrinks.
 */
export async function trainClassifier(args: TrainArgs): Promise<TrainResult> {
  checkInputs(args);
  const { config, labels } = args;
  const log = args.log ?? (() => {});
  // One seeded source for the holdout, shuffling and augmentation, in that order.
  const random = createRandom(config.seed);
  const split = args.validation === null ? stratifiedHoldout(args.train, config.validationSplit, random) : { train: args.train, validation: args.validation };
  const classWeights = config.classWeights ? balancedClassWeights(labels, countByLabel(split.train)) : labels.map(() => 1);
  log('training data', { train: split.train.length, validation: split.validation.length, test: args.test.length, classWeights });
  if (split.validation.length === 0) log('no validation images: the callbacks monitor the training loss instead');

  const { classifier, summary } = await buildModel(args);
  const baseSource = classifier.baseDescription ?? config.baseModelPath;
  log(classifier.pretrained ? `base loaded from ${baseSource} and frozen` : `${config.architecture} base trains from scratch (no baseModelPath)`, {
    parameters: summary.parameters,
  });
  const training = new ClassifierTraining({ ...args, log, random, classWeights, train: split.train, validation: split.validation, model: classifier.model });
  try {
    await args.hooks.onModelBuilt?.(summary);
    await training.runPhase('train', config.epochs, config.learningRate);
    if (config.fineTuneEpochs > 0) {
      training.restoreBest();
      unfreezeAll(classifier);
      await training.runPhase('finetune', config.fineTuneEpochs, config.fineTuneLearningRate);
    }
    const artifacts = await saveArtifacts(args, training);
    const evaluation = await evaluateImages({
      tf: args.engine.tf, model: classifier.model, images: args.test, labels, imageSize: config.imageSize, channels: config.channels as 1 | 3,
      batchSize: config.batchSize, beforeBatch: () => training.throwIfCancelled(),
    });
    log('test evaluation', { loss: evaluation.loss, accuracy: evaluation.accuracy });
    return {
      labels: [...labels],
      confusionMatrix: evaluation.confusionMatrix,
      testImages: args.test.length,
      model: summary,
      epochsRun: training.epochsRun,
      stoppedEarly: training.stoppedEarly,
      imagesPerSecond: training.imagesPerSecond(),
      artifacts,
    };
  } finally {
    training.dispose();
    classifier.model.dispose();
  }
}
