import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticImages } from '../../../src/datasets/synthetic-images.js';
import { loadTrainingEngine, type TrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { imageBytesToBatch, loadImageBatch } from '../../../src/trainers/tfjs/images/image-loader.js';
import { buildClassifier } from '../../../src/trainers/tfjs/models/build-classifier.js';
import { saveModelToFolder } from '../../../src/trainers/tfjs/models/model-folder-io.js';
import { tfjsConfigSchema } from '../../../src/trainers/tfjs/tfjs-config.js';
import { tfjsServing } from '../../../src/trainers/tfjs/tfjs-serving.js';

const LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'];
let engine: TrainingEngine;
let dir: string;
let uris: string[];

beforeAll(async () => {
  engine = await loadTrainingEngine({ prefer: 'wasm' });
  dir = await mkdtemp(path.join(tmpdir(), 'epochal-serving-'));
  const images = await generateSyntheticImages({ dir: path.join(dir, 'data'), labels: LABELS, imagesPerLabel: 3, imageSize: 40, seed: 9 });
  uris = images.map((i) => i.uri);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TFJS serving', () => {
  it('preprocesses bytes exactly as training reads files (size, channels, scaling)', async () => {
    for (const channels of [1, 3] as const) {
      const fromFiles = await loadImageBatch(engine.tf, uris, { imageSize: 24, channels });
      const fromBytes = await imageBytesToBatch(engine.tf, await Promise.all(uris.map((u) => readFile(u))), { imageSize: 24, channels });
      expect(fromBytes.shape).toEqual(fromFiles.shape);
      expect(Array.from(await fromBytes.data())).toEqual(Array.from(await fromFiles.data()));
      fromFiles.dispose();
      fromBytes.dispose();
    }
  });

  it('answers the model\'s own scores for the training path\'s batch, normalised to sum 1', async () => {
    const config = tfjsConfigSchema.parse({ architecture: 'SMALL_CNN', imageSize: 24, channels: 1, seed: 3 });
    const { model } = await buildClassifier(engine.tf, { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, numClasses: LABELS.length, baseModelPath: null, dropout: 0.2, seed: 3 });
    const folder = path.join(dir, 'model');
    await saveModelToFolder(engine.tf, model, folder);
    const loaded = await tfjsServing().load(
      { id: 'r', config: { tfjs: config }, outputs: null, artifacts: [{ kind: 'model', uri: pathToFileURL(folder).href }], labels: LABELS },
      {},
    );
    const scores = await loaded.predict(await Promise.all(uris.map((u) => readFile(u))));
    const batch = await loadImageBatch(engine.tf, uris, { imageSize: 24, channels: 1 });
    const expected = (await (model.predict(batch) as Tensor).array()) as number[][];
    expect(scores).toHaveLength(uris.length);
    scores.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      row.forEach((s, k) => expect(s).toBeCloseTo(expected[i][k], 5));
    });
    await loaded.unload({ final: true });
    model.dispose();
  });

  it('refuses a run without a model artifact, naming it', async () => {
    const config = tfjsConfigSchema.parse({ architecture: 'SMALL_CNN', imageSize: 24, channels: 1 });
    await expect(tfjsServing().load({ id: 'r1', config: { tfjs: config }, outputs: null, artifacts: [], labels: LABELS }, {}))
      .rejects.toThrow(/run r1 has no "model" artifact/);
  });
});
