/**
 * What the bundled pretrained MobileNetV2 buys on the synthetic OCT scans: the same recipe
 * (64 px RGB, no augmentation, frozen-then-fine-tuned when pretrained): MOBILENET_V2 from the bundled
 * backbone and from scratch, and SMALL_CNN from scratch, at several TRAIN sizes, on the fastest engine
 * here. Prints train / validation accuracy per epoch and TEST macro-F1 per run, as markdown
 * (docs/training.md). Augmentation is off: on these synthetic scans it hides what the models learn
 * (docs/training.md, "the augmentation, on this synthetic data").
 *
 *   npx tsx scripts/pretrained-curves.ts      env: CURVE_PER_LABEL (15,40,120), CURVE_SEEDS (1,2),
 *                                                  CURVE_EPOCHS (8), CURVE_FINETUNE (4)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSyntheticImages } from '../src/datasets/synthetic-images.js';
import { deriveClassMetrics } from '../src/evaluations/class-metrics.js';
import { loadTrainingEngine } from '../src/trainers/tfjs/engine/select-engine.js';
import { trainClassifier } from '../src/trainers/tfjs/train-classifier.js';
import { tfjsConfigSchema } from '../src/trainers/tfjs/tfjs-config.js';

const list = (value: string | undefined, fallback: number[]) => (value ? value.split(',').map(Number) : fallback);
const PER_LABEL = list(process.env.CURVE_PER_LABEL, [15, 40, 120]);
const SEEDS = list(process.env.CURVE_SEEDS, [1, 2]);
const EPOCHS = Number(process.env.CURVE_EPOCHS ?? 8);
const FINETUNE = Number(process.env.CURVE_FINETUNE ?? 4);
// The same MobileNetV2 from the bundled backbone and from scratch, and the small CNN from scratch
// for scale (the model that reaches macro-F1 0.99 on these scans in the demo).
const ARMS = [
  { architecture: 'MOBILENET_V2', pretrained: true },
  { architecture: 'MOBILENET_V2', pretrained: false },
  { architecture: 'SMALL_CNN', pretrained: false },
] as const;

async function main(): Promise<void> {
  const engine = await loadTrainingEngine();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'epochal-curves-'));
  console.log(`engine: ${engine.description}; MOBILENET_V2 at 64 px, ${EPOCHS} epochs + ${FINETUNE} fine-tuning, seeds ${SEEDS.join(', ')}`);
  const rows: string[] = [];
  try {
    // One image set: the largest size; smaller sizes take each label's first TRAIN images (nested).
    const images = await generateSyntheticImages({ dir, imagesPerLabel: Math.max(...PER_LABEL) * 2, imageSize: 64, seed: 11, splits: { train: 0.5, validation: 0.2, test: 0.3 } });
    const bySplit = (split: string) => images.filter((i) => i.split === split).map(({ uri, label }) => ({ uri, label }));
    const [train, validation, test] = [bySplit('TRAIN'), bySplit('VALIDATION'), bySplit('TEST')];
    const labels = [...new Set(images.map((i) => i.label))].sort();
    for (const perLabel of PER_LABEL) {
      const subset = labels.flatMap((label) => train.filter((i) => i.label === label).slice(0, perLabel));
      for (const { architecture, pretrained } of ARMS) {
        for (const seed of SEEDS) {
          const config = tfjsConfigSchema.parse({
            architecture, pretrained, imageSize: 64, channels: 3, epochs: EPOCHS, fineTuneEpochs: FINETUNE,
            batchSize: 16, earlyStoppingPatience: 0, reduceLrPatience: 0, seed, fineTuneLearningRate: 1e-4, augment: false,
          });
          const curve: string[] = [];
          const workDir = path.join(dir, `run-${perLabel}-${pretrained}-${seed}`);
          const started = Date.now();
          const result = await trainClassifier({
            engine, config, labels, train: subset, validation, test, workDir,
            hooks: {
              onEpoch: async (epoch) => void curve.push(`${epoch.accuracy.toFixed(2)}/${(epoch.valAccuracy ?? Number.NaN).toFixed(2)}`),
              onBatchLoss: async () => {},
              isCancelled: () => false,
            },
          });
          const f1 = deriveClassMetrics(labels, result.confusionMatrix).macroF1;
          const row = `| ${subset.length} | ${architecture} ${pretrained ? 'pretrained' : 'scratch'} | ${seed} | ${curve.join(' ')} | **${f1.toFixed(3)}** | ${Math.round((Date.now() - started) / 1000)} s |`;
          rows.push(row);
          console.log(row);
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(['', '| TRAIN images | model | seed | train / val accuracy per epoch (train, then fine-tune) | TEST macro-F1 | time |', '|---|---|---|---|---|---|', ...rows].join('\n'));
}

await main();
