import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import { startApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { loadTrainingEngine } from '../src/trainers/tfjs/engine/select-engine.js';
import { loadModelFromFolder } from '../src/trainers/tfjs/models/model-folder-io.js';
import { benchConfig, fmt, goal, header, post, sleep, startBenchDatabase, timed } from './support.js';

/**
 * Predictions per second at 32 px for the small CNN, through the API
 * (`predict` with 64 inline images: decode, preprocessing, statistics, the
 * batched model call, the transactional write and window closes), as a ratio
 * to the raw model call on an already decoded batch of 64 in the same run.
 */
const BATCH = 64;
const CALLS = Number(process.env.BENCH_PREDICT_CALLS ?? 12);
const GOAL_IMAGES_PER_SECOND = 200;

export async function benchPredictions(): Promise<void> {
  header(`predictions: small CNN at 32 px, ${CALLS} predict calls of ${BATCH} inline images`);
  const db = await startBenchDatabase();
  const base = benchConfig(await db.createDatabase());
  const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: base.databaseUrl!, EPOCHAL_DATA_DIR: base.dataDir, EPOCHAL_IMPORT_ROOTS: base.dataDir, EPOCHAL_WORKER: 'on', EPOCHAL_AUTH: 'off' });
  const app = await startApp(config, pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }));
  try {
    const { generateSyntheticDataset: dataset } = await post(app.url, `mutation { generateSyntheticDataset(input: { name: "bench-predict", imagesPerLabel: 40, imageSize: 32, seed: 2 }) { id } }`);
    const { startTraining: run } = await post(app.url, `mutation ($d: ID!) { startTraining(input: { name: "bench", datasetId: $d, trainer: TFJS,
      tfjs: { architecture: SMALL_CNN, imageSize: 32, channels: 1, epochs: 1, fineTuneEpochs: 0, augment: false, seed: 1 } }) { id } }`, { d: dataset.id });
    while ((await post(app.url, `query ($id: ID!) { run(id: $id) { status } }`, { id: run.id })).run.status !== 'SUCCEEDED') await sleep(200);
    const { deploy } = await post(app.url, `mutation ($r: ID!) { deploy(input: { runId: $r, windowSize: 100 }) { id } }`, { r: run.id });
    while ((await post(app.url, `query ($id: ID!) { deployment(id: $id) { status } }`, { id: deploy.id })).deployment.status !== 'ACTIVE') await sleep(100);

    // Distinct bytes for every image (the same bytes would be answered from the store): TEST scans, each brightened by its own small step.
    const { dataset: d } = await post(app.url, `query ($id: ID!) { dataset(id: $id) { images(split: TEST, first: 500) { uri } } }`, { id: dataset.id });
    const sources = await Promise.all(d.images.map((i: { uri: string }) => readFile(i.uri)));
    const images: string[] = [];
    for (let i = 0; images.length < BATCH * (CALLS + 1); i++) images.push((await distinctCopy(sources[i % sources.length], i)).toString('base64'));
    const call = (k: number) => post(app.url, `mutation ($id: ID!, $images: [PredictImageInput!]!) { predict(deploymentId: $id, images: $images) { label } }`,
      { id: deploy.id, images: images.slice(k * BATCH, (k + 1) * BATCH).map((base64) => ({ base64 })) });
    await call(CALLS); // warm-up
    const api = await timed(async () => {
      for (let k = 0; k < CALLS; k++) await call(k);
    });
    const apiRate = (CALLS * BATCH) / (api.ms / 1000);

    const { run: trained } = await post(app.url, `query ($id: ID!) { run(id: $id) { artifacts { kind uri } } }`, { id: run.id });
    const engine = await loadTrainingEngine();
    const model = await loadModelFromFolder(engine.tf, fileURLToPath(trained.artifacts.find((a: { kind: string }) => a.kind === 'model').uri));
    const batch = engine.tf.randomUniform([BATCH, 32, 32, 1]);
    const rawCall = async () => {
      const out = model.predict(batch) as Tensor;
      await out.data();
      out.dispose();
    };
    await rawCall();
    const raw = await timed(async () => {
      for (let k = 0; k < CALLS; k++) await rawCall();
    });
    const rawRate = (CALLS * BATCH) / (raw.ms / 1000);
    console.log(`  engine ${engine.name}; raw model call ${fmt(rawRate, 0)} images/s; predict through the API ${fmt(apiRate, 0)} images/s (${fmt(api.ms / CALLS, 0)} ms per call of ${BATCH})`);
    console.log(`  ratio API / raw model call: ${fmt(apiRate / rawRate, 2)}`);
    goal(`predict ≥ ${GOAL_IMAGES_PER_SECOND} images/s at 32 px`, apiRate >= GOAL_IMAGES_PER_SECOND, `${fmt(apiRate, 0)} images/s`);
    batch.dispose();
    model.dispose();
  } finally {
    await app.stop();
    await db.stop();
  }
}

/** The scan with a slight, per-`i` different brightness and contrast: new bytes and hash, so no prediction is a stored one. */
function distinctCopy(bytes: Buffer, i: number): Promise<Buffer> {
  const contrast = 1 + Math.floor(i / 40) / 1000;
  return sharp(bytes).linear(contrast, 128 * (1 - contrast) + 1 + (i % 40) / 10).png().toBuffer();
}
