import path from 'node:path';
import type { AdamOptimizer, LayersModel, Scalar, Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import { createRandom } from '../../kernel/random.js';
import { augmentBatch } from './images/augment.js';
import { loadImageBatch } from './images/image-loader.js';
import { BestCheckpoint, CsvEpochLog, EarlyStopping, ReduceLrOnPlateau } from './callbacks.js';
import { batches, shuffled, type LabeledImage } from './data-splits.js';
import { evaluateImages, PROBABILITY_EPSILON } from './evaluate-images.js';
import { RECIPE_AUGMENTATION, RECIPE_CALLBACKS } from './tfjs-config.js';
import { TrainingCancelledError, type EpochReport, type TrainArgs } from './train-types.js';

type Phase = EpochReport['phase'];

export interface ClassifierTrainingArgs extends Omit<TrainArgs, 'validation' | 'log'> {
  model: LayersModel;
  /** TRAIN after the validation holdout. */
  train: LabeledImage[];
  validation: LabeledImage[];
  /** Per label, in `labels` order. */
  classWeights: number[];
  /** The run's seeded source: shuffling and augmentation draw from it. */
  random: () => number;
  log: (msg: string, extra?: object) => void;
}

/**
 * The training loop of one model across its phases (train, then fine-tune):
 * batches, epochs, the recipe's callbacks and the best checkpoint, with the
 * counters the result reports. trainClassifier (train-classifier.ts) drives it.
 */
export class ClassifierTraining {
  readonly model: LayersModel;
  readonly csvPath: string;
  epochsRun = 0;
  stoppedEarly = false;
  private readonly tf: TrainArgs['engine']['tf'];
  private readonly labelIndex: Map<string, number>;
  private readonly checkpoint = new BestCheckpoint();
  private readonly csv: CsvEpochLog;
  // Kept per variable, not by getWeights() order: that order (trainable first) changes when the
  // base is unfrozen between keeping and restoring.
  private readonly allVariables: LayersModel['weights'];
  private bestWeights: Tensor[] | null = null;
  private step = 0;
  private csvEpoch = 0;
  private trainedImages = 0;
  private trainingMs = 0;
  /** The model's dropout layers, reseeded before every step of a seeded run. */
  private readonly dropouts: { seed?: number }[];
  /** A stream of its own, so dropout draws do not shift the holdout, shuffling and augmentation. */
  private readonly dropoutSeeds: (() => number) | null;

  constructor(private readonly args: ClassifierTrainingArgs) {
    this.tf = args.engine.tf;
    this.model = args.model;
    this.labelIndex = new Map(args.labels.map((label, i) => [label, i]));
    this.csvPath = path.join(args.workDir, 'epochs.csv');
    this.csv = new CsvEpochLog(this.csvPath);
    this.allVariables = [...args.model.weights];
    this.dropouts = args.model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as { seed?: number }[];
    const seed = args.config.seed;
    this.dropoutSeeds = seed == null ? null : createRandom(seed ^ 0x5eed_d0);
  }

  async throwIfCancelled(): Promise<void> {
    if (await this.args.hooks.isCancelled()) throw new TrainingCancelledError();
  }

  imagesPerSecond(): number {
    return this.trainingMs > 0 ? this.trainedImages / (this.trainingMs / 1000) : 0;
  }

  restoreBest(): void {
    if (this.bestWeights) this.allVariables.forEach((w, i) => w.write(this.bestWeights![i]));
  }

  dispose(): void {
    if (this.bestWeights) this.tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }

  private keepBest(): void {
    if (this.bestWeights) this.tf.dispose(this.bestWeights);
    this.bestWeights = this.allVariables.map((w) => this.tf.keep(w.read().clone()));
  }

  /** One phase: `epochs` epochs from `learningRate`, with early stopping and LR reduction afresh. */
  async runPhase(phase: Phase, epochs: number, learningRate: number): Promise<void> {
    const { config, hooks, log } = this.args;
    const optimizer = this.tf.train.adam(learningRate) as AdamOptimizer;
    // Early stopping and LR reduction start afresh each phase (Keras resets them in on_train_begin);
    // the best checkpoint carries over, as a reused ModelCheckpoint does.
    const stopping = new EarlyStopping(config.earlyStoppingPatience, RECIPE_CALLBACKS.minDelta);
    const reduceLr = new ReduceLrOnPlateau(config.reduceLrPatience, RECIPE_CALLBACKS.reduceLrFactor);
    let lr = learningRate;
    try {
      for (let index = 0; index < epochs; index++) {
        const report = await this.runEpoch(optimizer, phase, index, lr);
        this.epochsRun++;
        await this.csv.append({ epoch: this.csvEpoch++, accuracy: report.accuracy, loss: report.loss, lr, valAccuracy: report.valAccuracy, valLoss: report.valLoss });
        await hooks.onEpoch(report);
        log(`${phase} epoch ${index + 1}/${epochs}`, report);

        const monitored = report.valLoss ?? report.loss;
        if (this.checkpoint.update(monitored, this.epochsRun - 1)) this.keepBest();
        if (stopping.update(monitored)) {
          this.stoppedEarly = true;
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
  }

  /** One epoch over TRAIN, then the validation pass: the epoch's report. */
  private async runEpoch(optimizer: AdamOptimizer, phase: Phase, index: number, lr: number): Promise<EpochReport> {
    const { config, labels } = this.args;
    const started = performance.now();
    const trained = await this.trainEpoch(optimizer);
    const validation = this.args.validation.length
      ? await evaluateImages({
          tf: this.tf, model: this.model, images: this.args.validation, labels, imageSize: config.imageSize, channels: config.channels as 1 | 3,
          batchSize: config.batchSize, beforeBatch: () => this.throwIfCancelled(),
        })
      : null;
    return {
      phase, index, loss: trained.loss, accuracy: trained.accuracy,
      valLoss: validation?.loss ?? null, valAccuracy: validation?.accuracy ?? null,
      learningRate: lr, durationMs: Math.round(performance.now() - started),
    };
  }

  /** Every TRAIN batch once, shuffled; the next batch decodes while the current one trains. */
  private async trainEpoch(optimizer: AdamOptimizer): Promise<{ loss: number; accuracy: number }> {
    const { config, hooks, random } = this.args;
    const epochBatches = batches(shuffled(this.args.train, random), config.batchSize);
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    const started = performance.now();
    let pending: Promise<Tensor4D> | null = null;
    try {
      for (let b = 0; b < epochBatches.length; b++) {
        await this.throwIfCancelled();
        const xs = await (pending ?? this.loadBatch(epochBatches[b]));
        pending = b + 1 < epochBatches.length ? this.loadBatch(epochBatches[b + 1]) : null;
        // Swallow a rejection of the prefetch here; it is rethrown when awaited next iteration.
        pending?.catch(() => {});
        let result: ReturnType<ClassifierTraining['trainStep']>;
        this.reseedDropout();
        try {
          result = this.trainStep(optimizer, xs, epochBatches[b]);
        } finally {
          xs.dispose();
        }
        const [loss, correct] = [(await result.loss.data())[0], (await result.correct.data())[0]];
        this.tf.dispose([result.loss, result.correct]);
        if (!Number.isFinite(loss)) throw new Error(`The loss became ${loss} at batch ${this.step + 1}: lower the learning rate`);
        const n = epochBatches[b].length;
        lossSum += loss * n;
        correctSum += correct;
        seen += n;
        this.step++;
        if (this.step % config.batchLogEvery === 0) await hooks.onBatchLoss(this.step, loss);
      }
    } finally {
      if (pending) await pending.then((t) => t.dispose(), () => {});
    }
    this.trainedImages += seen;
    this.trainingMs += performance.now() - started;
    return { loss: lossSum / seen, accuracy: correctSum / seen };
  }

  /**
   * tfjs' Dropout draws its mask from the layer's `seed` when it has one (the same mask on every
   * step if it never changes), and from an unseeded generator otherwise. A seeded run gives it a
   * new seed from the run's seed before each step: masks differ per batch and repeat per run.
   */
  private reseedDropout(): void {
    if (!this.dropoutSeeds) return;
    for (const layer of this.dropouts) layer.seed = Math.floor(this.dropoutSeeds() * 2 ** 31);
  }

  private async loadBatch(images: LabeledImage[]): Promise<Tensor4D> {
    const { config, random } = this.args;
    const xs = await loadImageBatch(this.tf, images.map((image) => image.uri), { imageSize: config.imageSize, channels: config.channels as 1 | 3 });
    if (!config.augment) return xs;
    const augmented = augmentBatch(this.tf, xs, RECIPE_AUGMENTATION, random);
    xs.dispose();
    return augmented;
  }

  /** One optimisation step; returns the batch's weighted loss and its number of correct predictions. */
  private trainStep(optimizer: AdamOptimizer, xs: Tensor4D, images: LabeledImage[]): { loss: Scalar; correct: Scalar } {
    const { tf, model } = this;
    const { labels, classWeights } = this.args;
    const truth = images.map((image) => this.labelIndex.get(image.label)!);
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
  }
}
