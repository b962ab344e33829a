import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticImages } from '../../../src/datasets/synthetic-images.js';
import { loadTrainingEngine, type TrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { buildClassifier } from '../../../src/trainers/tfjs/models/build-classifier.js';
import { loadModelFromFolder, saveModelToFolder } from '../../../src/trainers/tfjs/models/model-folder-io.js';
import { tfjsConfigSchema } from '../../../src/trainers/tfjs/tfjs-config.js';
import {
  trainClassifier,
  TrainingCancelledError,
  type EpochReport,
  type LabeledImage,
} from '../../../src/trainers/tfjs/train-classifier.js';
import { tempDir } from '../../support/temp-dir.js';

const LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'];
let engine: TrainingEngine;
const dir = tempDir('epochal-train-');
let train: LabeledImage[];
let test: LabeledImage[];

beforeAll(async () => {
  engine = await loadTrainingEngine({ prefer: 'wasm' });
  const images = await generateSyntheticImages({ dir: path.join(dir, 'data'), labels: LABELS, imagesPerLabel: 12, imageSize: 28, seed: 5 });
  train = images.filter((i) => i.split !== 'TEST').map(({ uri, label }) => ({ uri, label }));
  test = images.filter((i) => i.split === 'TEST').map(({ uri, label }) => ({ uri, label }));
});

function recordingHooks(cancelAfterBatches = Number.POSITIVE_INFINITY) {
  const epochs: EpochReport[] = [];
  const batchLosses: [number, number][] = [];
  let checks = 0;
  return {
    epochs,
    batchLosses,
    hooks: {
      onEpoch: async (epoch: EpochReport) => void epochs.push(epoch),
      onBatchLoss: async (step: number, loss: number) => void batchLosses.push([step, loss]),
      isCancelled: () => ++checks > cancelAfterBatches,
    },
  };
}

describe('trainClassifier', () => {
  it('trains a small CNN end to end on wasm: epochs, batch losses, artifacts, evaluation', async () => {
    const config = tfjsConfigSchema.parse({
      architecture: 'SMALL_CNN', imageSize: 24, channels: 1, epochs: 3, fineTuneEpochs: 1, batchSize: 8, batchLogEvery: 2, seed: 1,
    });
    const { epochs, batchLosses, hooks } = recordingHooks();
    const built: unknown[] = [];
    const workDir = path.join(dir, 'run-1');
    const tensorsBefore = engine.tf.memory().numTensors;
    const result = await trainClassifier({
      engine, config, labels: LABELS, train, validation: null, test, workDir,
      hooks: { ...hooks, onModelBuilt: async (model) => void built.push({ ...model, epochsSoFar: epochs.length }) },
    });
    // Announced once, before any epoch: no baseModelPath, so the base trained from scratch.
    const summary = { architecture: 'SMALL_CNN', pretrained: false, baseModelPath: null, baseDescription: null, parameters: 23_892 };
    expect(built).toEqual([{ ...summary, epochsSoFar: 0 }]);
    expect(result.model).toEqual(summary);

    expect(epochs.map((e) => [e.phase, e.index])).toEqual([['train', 0], ['train', 1], ['train', 2], ['finetune', 0]]);
    for (const e of epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.valLoss).toBeGreaterThan(0);
      expect(e.valAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(epochs[0].learningRate).toBe(0.001);
    expect(epochs[3].learningRate).toBe(0.00001);
    // The 36 train+validation images: 20% held out, the rest in batches of 8 → 4 batches per epoch.
    const batchesPerEpoch = Math.ceil((train.length - Math.round(train.length / LABELS.length * 0.2) * LABELS.length) / 8);
    expect(batchLosses.map(([step]) => step)).toEqual(
      Array.from({ length: Math.floor((batchesPerEpoch * 4) / 2) }, (_, i) => (i + 1) * 2),
    );
    expect(batchLosses.every(([, loss]) => Number.isFinite(loss) && loss > 0)).toBe(true);

    expect(result.labels).toEqual(LABELS);
    expect(result.testImages).toBe(test.length);
    expect(result.confusionMatrix).toHaveLength(4);
    expect(result.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(test.length);
    expect(result.epochsRun).toBe(4);
    expect(result.stoppedEarly).toBe(false);
    expect(result.imagesPerSecond).toBeGreaterThan(0);

    const model = result.artifacts.find((a) => a.kind === 'model')!;
    expect(model.path).toBe(path.join(workDir, 'best-model'));
    expect((await readdir(model.path)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(model.bytes).toBeGreaterThan(23_000 * 4);
    // The model as training left it, besides the best checkpoint.
    const final = result.artifacts.find((a) => a.kind === 'final-model')!;
    expect(final.path).toBe(path.join(workDir, 'final-model'));
    expect((await readdir(final.path)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(final.bytes).toBe(model.bytes);
    expect(result.artifacts.map((a) => a.kind)).toEqual(['final-model', 'model', 'csv-log']);
    const csv = result.artifacts.find((a) => a.kind === 'csv-log')!;
    const lines = (await readFile(csv.path, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('epoch,accuracy,loss,lr,val_accuracy,val_loss');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['0', '1', '2', '3']);
    // Every tensor of the run is freed (the WASM heap never shrinks).
    expect(engine.tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('stops within one batch when cancelled', async () => {
    const config = tfjsConfigSchema.parse({
      architecture: 'SMALL_CNN', imageSize: 24, channels: 1, epochs: 3, fineTuneEpochs: 0, batchSize: 4, batchLogEvery: 1, seed: 2,
    });
    const { epochs, batchLosses, hooks } = recordingHooks(2);
    const tensorsBefore = engine.tf.memory().numTensors;
    await expect(
      trainClassifier({ engine, config, labels: LABELS, train, validation: null, test, workDir: path.join(dir, 'run-2'), hooks }),
    ).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(batchLosses.map(([step]) => step)).toEqual([1, 2]);
    expect(epochs).toEqual([]);
    expect(engine.tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('keeps a pretrained base frozen in the first phase and trains it when fine-tuning', async () => {
    const { tf } = engine;
    const pretrained = await buildClassifier(tf, {
      architecture: 'SMALL_CNN', imageSize: 24, channels: 1, numClasses: 2, baseModelPath: null, dropout: 0.2, seed: 9,
    });
    const baseDir = path.join(dir, 'pretrained');
    await saveModelToFolder(tf, pretrained.model, baseDir);
    const original = Array.from(pretrained.model.getLayer('conv1').getWeights()[0].dataSync());
    pretrained.model.dispose();

    const conv1After = async (fineTuneEpochs: number, run: string) => {
      const config = tfjsConfigSchema.parse({
        architecture: 'SMALL_CNN', imageSize: 24, channels: 1, epochs: 1, fineTuneEpochs, fineTuneLearningRate: 0.01,
        batchSize: 8, baseModelPath: baseDir, earlyStoppingPatience: 0, seed: 3,
      });
      const result = await trainClassifier({ engine, config, labels: LABELS, train, validation: null, test, workDir: path.join(dir, run), hooks: recordingHooks().hooks });
      expect(result.model).toMatchObject({ pretrained: true, baseModelPath: baseDir });
      const conv1Of = async (kind: string) => {
        const saved = await loadModelFromFolder(tf, result.artifacts.find((a) => a.kind === kind)!.path);
        const weights = Array.from(saved.getLayer('conv1').getWeights()[0].dataSync());
        expect(saved.outputs[0].shape).toEqual([null, 4]);
        saved.dispose();
        return weights;
      };
      return { best: await conv1Of('model'), final: await conv1Of('final-model') };
    };
    const frozen = await conv1After(0, 'frozen');
    expect(frozen.best).toEqual(original);
    expect(frozen.final).toEqual(original);
    // Fine-tuning may still keep the phase-1 checkpoint as the best if it does not lower val_loss,
    // but the final model is the fine-tuned one: its base has moved.
    const tuned = await conv1After(1, 'tuned');
    expect(tuned.best).toHaveLength(original.length);
    expect(tuned.final).not.toEqual(original);
  });

  it('refuses images whose label is not listed', async () => {
    const config = tfjsConfigSchema.parse({ architecture: 'SMALL_CNN', imageSize: 24, channels: 1, epochs: 1 });
    await expect(
      trainClassifier({
        engine, config, labels: ['CNV', 'DME'], train, validation: null, test, workDir: path.join(dir, 'run-3'),
        hooks: recordingHooks().hooks,
      }),
    ).rejects.toThrow(/not one of CNV, DME/);
  });
});
