import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AdamOptimizer, Scalar, Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import { augmentBatch } from './images/augment.js';
import { createRandom } from '../../kernel/random.js';
import { balancedClassWeights } from './class-weights.js';
import { loadImageBatch } from './images/image-loader.js';
import { BestCheckpoint, CsvEpochLog, EarlyStopping, ReduceLrOnPlateau } from './callbacks.js';
import { batches, countByLabel, shuffled, stratifiedHoldout, type LabeledImage } from './data-splits.js';
import type { TrainingEngine } from './engine/select-engine.js';
import { evaluateImages, PROBABILITY_EPSILON } from './evaluate-images.js';
import { buildClassifier, unfreezeAll, type Classifier } from './models/build-classifier.js';
import { saveModelToFolder } from './models/model-folder-io.js';
import { RECIPE_AUGMENTATION, RECIPE_CALLBACKS, type TfjsConfig } from './tfjs-config.js';

export type { LabeledImage } from './data-splits.js';

export interface EpochReport {
  phase: 'train' | 'finetune';
  /** 0-based within the phase. */
  index: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  durationMs: number;
}

export interface TrainHooks {
  onEpoch(epoch: EpochReport): Promise<void>;
  /** Called every config.batchLogEvery batches; step counts batches across both phases (1-based). */
  onBatchLoss(step: number, loss: number): Promise<void>;
  /** Checked before every batch; when true, training throws TrainingCancelledError. */
  isCancelled(): boolean | Promise<boolean>;
  /** Once the model is built, before the first batch: whether its base is pretrained or trains from scratch. */
  onModelBuilt?(model: ModelSummary): Promise<void>;
}

export interface ModelSummary {
  architecture: string;
  /** False when there was no baseModelPath: the base starts from random weights, not ImageNet's. */
  pretrained: boolean;
  baseModelPath: string | null;
  parameters: number;
}

export interface TrainArtifact {
  kind: string;
  path: string;
  bytes: number;
}

export interface TrainResult {
  labels: string[];
  /** Rows: true label, columns: predicted label, in `labels` order. */
  confusionMatrix: number[][];
  testImages: number;
  model: ModelSummary;
  epochsRun: number;
  stoppedEarly: boolean;
  imagesPerSecond: number;
  artifacts: TrainArtifact[];
}

export interface TrainArgs {
  engine: TrainingEngine;
  config: TfjsConfig;
  labels: string[];
  train: LabeledImage[];
  validation: LabeledImage[] | null;
  test: LabeledImage[];
  workDir: string;
  hooks: TrainHooks;
  log?: (msg: string, extra?: object) => void;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled');
    this.name = 'TrainingCancelledError';
  }
}

type Phase = EpochReport['phase'];

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
  const { tf } = args.engine;
  const { config, labels, hooks } = args;
  const log = args.log ?? (() => {});
  const channels = config.channels as 1 | 3;
  const random = createRandom(config.seed);

  const split =
    args.validation === null ? stratifiedHoldout(args.train, config.validationSplit, random) : { train: args.train, validation: args.validation };
  const trainImages = split.train;
  const validationImages = split.validation;
  const classWeights = config.classWeights ? balancedClassWeights(labels, countByLabel(trainImages)) : labels.map(() => 1);
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  log('training data', { train: trainImages.length, validation: validationImages.length, test: args.test.length, classWeights });
  if (validationImages.length === 0) log('no validation images: the callbacks monitor the training loss instead');

  const classifier: Classifier = await buildClassifier(tf, {
    architecture: config.architecture,
    imageSize: config.imageSize,
    channels,
    numClasses: labels.length,
    baseModelPath: config.baseModelPath,
    dropout: RECIPE_CALLBACKS.dropout,
    seed: config.seed,
  });
  const { model } = classifier;
  const summary: ModelSummary = {
    architecture: config.architecture,
    pretrained: classifier.pretrained,
    baseModelPath: config.baseModelPath,
    parameters: model.countParams(),
  };
  log(classifier.pretrained ? `base loaded from ${config.baseModelPath} and frozen` : `${config.architecture} base trains from scratch (no baseModelPath)`, {
    parameters: summary.parameters,
  });

  const checkpoint = new BestCheckpoint();
  let bestWeights: Tensor[] | null = null;
  const csv = new CsvEpochLog(path.join(args.workDir, 'epochs.csv'));
  let step = 0;
  let csvEpoch = 0;
  let epochsRun = 0;
  let stoppedEarly = false;
  let trainedImages = 0;
  let trainingMs = 0;

  const throwIfCancelled = async () => {
    if (await hooks.isCancelled()) throw new TrainingCancelledError();
  };

  const loadBatch = async (images: LabeledImage[]) => {
    const xs = await loadImageBatch(tf, images.map((image) => image.uri), { imageSize: config.imageSize, channels });
    if (!config.augment) return xs;
    const augmented = augmentBatch(tf, xs, RECIPE_AUGMENTATION, random);
    xs.dispose();
    return augmented;
  };

  /** One optimisation step; returns the batch's weighted loss and its number of correct predictions. */
  const trainStep = (optimizer: AdamOptimizer, xs: Tensor4D, images: LabeledImage[]) => {
    const truth = images.map((image) => labelIndex.get(image.label)!);
    let correct: Scalar | null = null;
    const loss = tf.tidy(() => {
      const ys = tf.oneHot(tf.tensor1d(truth, 'int32'), labels.length);
      const sampleWeights = tf.tensor1d(truth.map((k) => classWeights[k]));
      const varList = model.trainableWeights.map((w) => w.read() as Variable);
      return optimizer.minimize(() => {
        const probabilities = model.apply(xs, { training: true }) as Tensor2D;
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, -1), tf.argMax(ys, -1)), 'float32'))) as Scalar;
        const clipped = tf.clipByValue(probabilities, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
        const crossEntropy = tf.neg(tf.sum(tf.mul(ys, tf.log(clipped)), -1));
        // Keras applies class weights per sample and averages over the batch size.
        return tf.mean(tf.mul(crossEntropy, sampleWeights)) as Scalar;
      }, true, varList)!;
    });
    return { loss, correct: correct! as Scalar };
  };

  const runEpoch = async (optimizer: AdamOptimizer) => {
    const epochBatches = batches(shuffled(trainImages, random), config.batchSize);
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    const started = performance.now();
    let pending: Promise<Tensor4D> | null = null;
    try {
      for (let b = 0; b < epochBatches.length; b++) {
        await throwIfCancelled();
        const xs = await (pending ?? loadBatch(epochBatches[b]));
        pending = b + 1 < epochBatches.length ? loadBatch(epochBatches[b + 1]) : null;
        // Swallow a rejection of the prefetch here; it is rethrown when awaited next iteration.
        pending?.catch(() => {});
        let result: ReturnType<typeof trainStep>;
        try {
          result = trainStep(optimizer, xs, epochBatches[b]);
        } finally {
          xs.dispose();
        }
        const [loss, correct] = [(await result.loss.data())[0], (await result.correct.data())[0]];
        tf.dispose([result.loss, result.correct]);
        if (!Number.isFinite(loss)) throw new Error(`The loss became ${loss} at batch ${step + 1}: lower the learning rate`);
        const n = epochBatches[b].length;
        lossSum += loss * n;
        correctSum += correct;
        seen += n;
        step++;
        if (step % config.batchLogEvery === 0) await hooks.onBatchLoss(step, loss);
      }
    } finally {
      if (pending) await pending.then((t) => t.dispose(), () => {});
    }
    const elapsed = performance.now() - started;
    trainedImages += seen;
    trainingMs += elapsed;
    return { loss: lossSum / seen, accuracy: correctSum / seen };
  };

  // Kept per variable, not by getWeights() order: that order (trainable first) changes when the
  // base is unfrozen between keeping and restoring.
  const allVariables = [...model.weights];
  const keepBest = () => {
    if (bestWeights) tf.dispose(bestWeights);
    bestWeights = allVariables.map((w) => tf.keep(w.read().clone()));
  };
  const restoreBest = () => {
    if (bestWeights) allVariables.forEach((w, i) => w.write(bestWeights![i]));
  };

  const runPhase = async (phase: Phase, epochs: number, learningRate: number) => {
    const optimizer = tf.train.adam(learningRate) as AdamOptimizer;
    // Early stopping and LR reduction start afresh each phase (Keras resets them in on_train_begin);
    // the best checkpoint carries over, as a reused ModelCheckpoint does.
    const stopping = new EarlyStopping(config.earlyStoppingPatience, RECIPE_CALLBACKS.minDelta);
    const reduceLr = new ReduceLrOnPlateau(config.reduceLrPatience, RECIPE_CALLBACKS.reduceLrFactor);
    let lr = learningRate;
    try {
      for (let index = 0; index < epochs; index++) {
        const started = performance.now();
        const trained = await runEpoch(optimizer);
        const validation = validationImages.length
          ? await evaluateImages({
              tf, model, images: validationImages, labels, imageSize: config.imageSize, channels,
              batchSize: config.batchSize, beforeBatch: throwIfCancelled,
            })
          : null;
        const report: EpochReport = {
          phase, index, loss: trained.loss, accuracy: trained.accuracy,
          valLoss: validation?.loss ?? null, valAccuracy: validation?.accuracy ?? null,
          learningRate: lr, durationMs: Math.round(performance.now() - started),
        };
        epochsRun++;
        await csv.append({ epoch: csvEpoch++, accuracy: report.accuracy, loss: report.loss, lr, valAccuracy: report.valAccuracy, valLoss: report.valLoss });
        await hooks.onEpoch(report);
        log(`${phase} epoch ${index + 1}/${epochs}`, report);

        const monitored = report.valLoss ?? report.loss;
        if (checkpoint.update(monitored, epochsRun - 1)) keepBest();
        if (stopping.update(monitored)) {
          stoppedEarly = true;
          log(`early stopping in ${phase} after ${index + 1} epochs`);
          break;
        }
        const reduced = reduceLr.update(monitored, lr);
        if (reduced !== null) {
          lr = reduced;
          // AdamOptimizer reads its learning rate on every step.
          (optimizer as unknown as { learningRate: number }).learningRate = lr;
          log(`learning rate reduced to ${lr}`);
        }
      }
    } finally {
      optimizer.dispose();
    }
  };

  try {
    await hooks.onModelBuilt?.(summary);
    await runPhase('train', config.epochs, config.learningRate);
    if (config.fineTuneEpochs > 0) {
      restoreBest();
      unfreezeAll(classifier);
      await runPhase('finetune', config.fineTuneEpochs, config.fineTuneLearningRate);
    }
    const artifacts: TrainArtifact[] = [];
    // The model as the last epoch left it (after fine-tuning), before the best checkpoint is restored.
    const finalDir = path.join(args.workDir, 'final-model');
    await saveModelToFolder(tf, model, finalDir);
    artifacts.push({ kind: 'final-model', path: finalDir, bytes: await folderBytes(finalDir) });
    restoreBest();
    const modelDir = path.join(args.workDir, 'best-model');
    await saveModelToFolder(tf, model, modelDir);
    artifacts.push({ kind: 'model', path: modelDir, bytes: await folderBytes(modelDir) });
    const csvPath = path.join(args.workDir, 'epochs.csv');
    artifacts.push({ kind: 'csv-log', path: csvPath, bytes: (await stat(csvPath)).size });

    const evaluation = await evaluateImages({
      tf, model, images: args.test, labels, imageSize: config.imageSize, channels,
      batchSize: config.batchSize, beforeBatch: throwIfCancelled,
    });
    log('test evaluation', { loss: evaluation.loss, accuracy: evaluation.accuracy });
    return {
      labels: [...labels],
      confusionMatrix: evaluation.confusionMatrix,
      testImages: args.test.length,
      model: summary,
      epochsRun,
      stoppedEarly,
      imagesPerSecond: trainingMs > 0 ? trainedImages / (trainingMs / 1000) : 0,
      artifacts,
    };
  } finally {
    if (bestWeights) tf.dispose(bestWeights);
    model.dispose();
  }
}
