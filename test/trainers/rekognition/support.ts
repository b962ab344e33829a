import pino from 'pino';
import { inTransaction } from '../../../src/kernel/sql.js';
import { generateSyntheticImages } from '../../../src/datasets/synthetic-images.js';
import type { LabeledImage } from '../../../src/datasets/dataset.record.js';
import type { RunRecord } from '../../../src/runs/run.record.js';
import type { RekognitionTrainerContext } from '../../../src/trainers/rekognition/rekognition-trainer-job.js';
import type { TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';

export const LABELS = ['CNV', 'DME', 'NORMAL'];

/** 3 labels × 8 images of 32 px (so every one needs upscaling), half TRAIN, half TEST: 4 TEST images per label. */
export async function syntheticImages(seed = 7): Promise<LabeledImage[]> {
  const dir = tempDir('epochal-rekognition-images-');
  return generateSyntheticImages({ dir, labels: LABELS, imagesPerLabel: 8, imageSize: 32, seed, splits: { train: 0.5, validation: 0, test: 0.5 } });
}

/** The fake's default model on these images: each label's 4th TEST image is called the next label. */
export const EXPECTED_MATRIX = [
  [3, 1, 0],
  [0, 3, 1],
  [1, 0, 3],
];

let datasetCounter = 0;

/** A dataset and a REKOGNITION run made through the services, moved to RUNNING as the worker would. */
export async function runningRekognitionRun(app: TestApp, images: LabeledImage[], rekognition: Record<string, unknown> = {}): Promise<RunRecord> {
  const dataset = await app.services.datasets.insert(`rekognition-${process.pid}-${++datasetCounter}`, images);
  const queued = await app.services.training.start({ name: 'rekognition run', datasetId: dataset.id, trainer: 'REKOGNITION', rekognition });
  const running = await inTransaction(app.dataSource, (tx) => app.services.runs.transition(tx, queued.id, ['QUEUED'], 'RUNNING', { engine: 'rekognition' }));
  return running!;
}

/** What the worker hands a trainer; cancelled when the run is no longer RUNNING, as the worker's check does. */
export function contextFor(app: TestApp, run: RunRecord, images: LabeledImage[]): RekognitionTrainerContext {
  return {
    run,
    images,
    services: app.services,
    isCancelled: async () => (await app.services.runs.find(run.id))?.status !== 'RUNNING',
    workDir: tempDir('epochal-rekognition-run-'),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
