/**
 * Does the study's recipe, with the API's defaults (augmentation on, early stopping, class
 * weights), learn the synthetic scans? Trains SMALL_CNN at 64 px on `generateSyntheticImages`
 * (300 scans per label, the default splits), 12 + 2 epochs, once per seed, and prints each
 * run's validation curve and TEST macro-F1 (docs/training.md, issue 11's goal: ≥ 0.9).
 *
 *   npx tsx scripts/recipe-check.ts      env: RECIPE_SEEDS (1,2), RECIPE_PER_LABEL (300),
 *                                             RECIPE_AUGMENT=false (the same without augmentation)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSyntheticImages } from '../src/datasets/synthetic-images.js';
import { deriveClassMetrics } from '../src/evaluations/class-metrics.js';
import { loadTrainingEngine } from '../src/trainers/tfjs/engine/select-engine.js';
import { trainClassifier } from '../src/trainers/tfjs/train-classifier.js';
import { tfjsConfigSchema } from '../src/trainers/tfjs/tfjs-config.js';

const SEEDS = (process.env.RECIPE_SEEDS ?? '1,2').split(',').map(Number);
const PER_LABEL = Number(process.env.RECIPE_PER_LABEL ?? 300);

const engine = await loadTrainingEngine();
const dir = await mkdtemp(path.join(os.tmpdir(), 'epochal-recipe-'));
try {
  const images = await generateSyntheticImages({ dir, imagesPerLabel: PER_LABEL, imageSize: 64, seed: 11 });
  const bySplit = (split: string) => images.filter((i) => i.split === split).map(({ uri, label }) => ({ uri, label }));
  const labels = [...new Set(images.map((i) => i.label))].sort();
  console.log(`engine: ${engine.description}; SMALL_CNN, 64 px, the recipe's defaults, 12 + 2 epochs, ${PER_LABEL} scans per label`);
  for (const seed of SEEDS) {
    const config = tfjsConfigSchema.parse({ architecture: 'SMALL_CNN', imageSize: 64, epochs: 12, fineTuneEpochs: 2, seed, augment: process.env.RECIPE_AUGMENT !== 'false' });
    const curve: string[] = [];
    const started = Date.now();
    const result = await trainClassifier({
      engine, config, labels, train: bySplit('TRAIN'), validation: bySplit('VALIDATION'), test: bySplit('TEST'), workDir: path.join(dir, `run-${seed}`),
      hooks: { onEpoch: async (e) => void curve.push(`${e.accuracy.toFixed(2)}/${(e.valAccuracy ?? Number.NaN).toFixed(2)}`), onBatchLoss: async () => {}, isCancelled: () => false },
    });
    console.log(`| ${seed} | ${curve.join(' ')} | **${deriveClassMetrics(labels, result.confusionMatrix).macroF1.toFixed(3)}** | ${Math.round((Date.now() - started) / 1000)} s |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
