import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsTrainerJob } from '../../src/trainers/tfjs/tfjs-trainer-job.js';
import type { TrainerContext } from '../../src/training/worker/trainer-job.js';
import { useTestApp } from '../support/test-app.js';
import { DATASET_IMAGES, errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { createDataset } from '../support/testkit.js';

const app = useTestApp();
let datasetId: string;
beforeAll(async () => {
  datasetId = await createDataset(app, { name: 'oct', images: DATASET_IMAGES });
});

const START = `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id status trainer config tags dataset { name } } }`;

async function counts() {
  const [{ runs }] = await app.dataSource.query('SELECT count(*)::int AS runs FROM runs');
  const [{ jobs }] = await app.dataSource.query(`SELECT count(*)::int AS jobs FROM pgboss.job WHERE name = 'training'`);
  return { runs, jobs };
}

describe('startTraining', () => {
  it('creates a QUEUED run with the study\'s recipe filled in, and its job, together', async () => {
    const { startTraining: run } = await gqlOk(app.url, START, {
      input: { name: 'vgg16-transfer', datasetId, trainer: 'TFJS', tags: ['study'], tfjs: { epochs: 3, imageSize: 64 } },
    });
    expect(run).toMatchObject({ status: 'QUEUED', trainer: 'TFJS', tags: ['study'], dataset: { name: 'oct' } });
    expect(run.config.tfjs).toEqual({
      architecture: 'VGG16', imageSize: 64, channels: 3, baseModelPath: null, pretrained: false, epochs: 3, fineTuneEpochs: 10, batchSize: 32,
      learningRate: 0.001, fineTuneLearningRate: 0.00001, validationSplit: 0.2, augment: true, classWeights: true,
      earlyStoppingPatience: 5, reduceLrPatience: 5, batchLogEvery: 10, seed: null,
    });
    const jobs = await app.dataSource.query(`SELECT data FROM pgboss.job WHERE name = 'training' AND data->>'runId' = $1`, [run.id]);
    expect(jobs).toHaveLength(1);
  });

  it('resolves a Rekognition configuration', async () => {
    const { startTraining: run } = await gqlOk(app.url, START, { input: { name: 'automl', datasetId, trainer: 'REKOGNITION' } });
    expect(run.config).toEqual({ trainer: 'REKOGNITION', rekognition: { projectName: null, versionName: null, evaluateWithInference: false, minInferenceUnits: 1 } });
  });

  it.each([
    ['an image size below 16', { trainer: 'TFJS', tfjs: { imageSize: 5 } }, /input\.tfjs\.imageSize: imageSize must be at least 16/],
    ['a validation split of 1', { trainer: 'TFJS', tfjs: { validationSplit: 1 } }, /validationSplit must be below 1/],
    ['two channels', { trainer: 'TFJS', tfjs: { channels: 2 } }, /channels must be 1 or 3/],
    ['an EXTERNAL trainer', { trainer: 'EXTERNAL' }, /createRun/],
    ['a bad Rekognition project name', { trainer: 'REKOGNITION', rekognition: { projectName: 'no spaces please' } }, /projectName/],
  ])('refuses %s with BAD_USER_INPUT, creating neither run nor job', async (_name, extra, message) => {
    const before = await counts();
    const result = await gql(app.url, START, { input: { name: 'bad', datasetId, ...extra } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses a dataset that cannot train a classifier', async () => {
    const oneLabel = await createDataset(app, { name: 'one-label', images: [
      { uri: '/a.png', label: 'CNV', split: 'TRAIN' }, { uri: '/b.png', label: 'CNV', split: 'TEST' }] });
    const noTest = await createDataset(app, { name: 'no-test', images: [
      { uri: '/a.png', label: 'CNV', split: 'TRAIN' }, { uri: '/b.png', label: 'DME', split: 'TRAIN' }] });
    const before = await counts();
    const a = await gql(app.url, START, { input: { name: 'x', datasetId: oneLabel, trainer: 'TFJS' } });
    expect(a.errors![0].message).toMatch(/at least 2/);
    const b = await gql(app.url, START, { input: { name: 'x', datasetId: noTest, trainer: 'TFJS' } });
    expect(b.errors![0].message).toMatch(/no TEST images/);
    expect(errorCode(await gql(app.url, START, { input: { name: 'x', datasetId: '00000000-0000-4000-8000-000000000000', trainer: 'TFJS' } }))).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('rolls the run back when the job cannot be enqueued', async () => {
    const before = await counts();
    await app.dataSource.query(`ALTER TABLE pgboss.job ADD CONSTRAINT refuse_jobs CHECK (name <> 'training') NOT VALID`);
    try {
      const result = await gql(app.url, START, { input: { name: 'doomed', datasetId, trainer: 'TFJS' } });
      expect(result.errors?.length).toBeGreaterThan(0);
    } finally {
      await app.dataSource.query(`ALTER TABLE pgboss.job DROP CONSTRAINT refuse_jobs`);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('datasets', () => {
  it('lists labels sorted and counts per split; refuses a duplicate name with CONFLICT', async () => {
    const { dataset } = await gqlOk(app.url, `query($id: ID!) { dataset(id: $id) { labels imageCount classCounts { split label count } images(split: TEST) { uri label } } }`, { id: datasetId });
    expect(dataset.labels).toEqual(['CNV', 'NORMAL']);
    expect(dataset.imageCount).toBe(4);
    expect(dataset.images).toHaveLength(2);
    const dup = await gql(app.url, `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { name: 'oct', images: DATASET_IMAGES } });
    expect(errorCode(dup)).toBe('CONFLICT');
    expect(dup.errors![0].message).toMatch(/already exists/);
  });

  it('refuses bad images, naming the item', async () => {
    const bad = await gql(app.url, `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, {
      input: { name: 'bad-images', images: [...DATASET_IMAGES, { uri: 'http://evil.example/x.png', label: 'CNV', split: 'TRAIN' }] },
    });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/images\[4\]\.uri/);
    expect((await gqlOk(app.url, `{ datasets { name } }`)).datasets.map((d: { name: string }) => d.name)).not.toContain('bad-images');
  });
});

describe('tfjs.baseModelPath', () => {
  const startWith = (baseModelPath: string) => gql(app.url, START, { input: { name: 'based', datasetId, trainer: 'TFJS', tfjs: { baseModelPath } } });
  const OUTSIDE = /^input\.tfjs\.baseModelPath: .* is outside the folders this server may read/;

  it('is refused outside the import roots and the data folder with one answer, whether or not the folder exists', async () => {
    const before = await counts();
    const link = path.join(app.config.dataDir, 'link-to-etc');
    symlinkSync('/etc', link);
    for (const outside of ['/etc', '/definitely/not/a/folder', `${app.config.dataDir}/../..`, link]) {
      const result = await startWith(outside);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(OUTSIDE);
    }
    expect(await counts()).toEqual(before);
  });

  it('is accepted inside the data folder', async () => {
    const folder = path.join(app.config.dataDir, 'models', 'vgg16');
    mkdirSync(folder, { recursive: true });
    const { startTraining: run } = await gqlOk(app.url, START, { input: { name: 'based', datasetId, trainer: 'TFJS', tfjs: { baseModelPath: folder } } });
    expect(run.config.tfjs.baseModelPath).toBe(folder);
  });

  it('is checked again by the trainer, which does not trust the stored configuration', async () => {
    const run = await app.services.runs.insertAndAnnounce({ name: 'stored', trainer: 'TFJS', status: 'RUNNING', datasetId, config: { trainer: 'TFJS', tfjs: { baseModelPath: '/etc' } }, tags: [], startedAt: new Date() });
    const job = createTfjsTrainerJob({ files: { importRoots: app.config.importRoots, dataDir: app.config.dataDir } });
    const context = { run, images: [], services: app.services, log: pino({ level: 'silent' }), workDir: app.config.dataDir } as unknown as TrainerContext;
    await expect(job.run(context)).rejects.toThrow(OUTSIDE);
  });
});
