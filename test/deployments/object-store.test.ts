import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticImages } from '../../src/datasets/synthetic-images.js';
import { S3ArtifactStore } from '../../src/storage/s3-artifact-store.js';
import { startFakeS3, type FakeS3 } from '../fakes/fake-s3.js';
import { gql, gqlOk } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { deployAndWait, PREDICT, TINY_TFJS } from './support.js';

/**
 * An API and a worker that share no data folder, only PostgreSQL and an S3
 * store (the fake the Rekognition tests use): the worker's artifacts go to
 * the store, and the API downloads, deploys and deletes them from there.
 * The dataset's images are in a third folder both can read.
 */
let s3: FakeS3;
let api: TestApp;
let worker: TestApp;
let imagesDir: string;
let apiDir: string;
let workerDir: string;

const PREFIX = 'store-test/';
const storedKeys = async (runId: string) =>
  ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}artifacts/${runId}/` }))).Contents ?? []).map((o) => o.Key!);

beforeAll(async () => {
  s3 = await startFakeS3();
  const store = new S3ArtifactStore({ bucket: s3.bucket, prefix: PREFIX }, s3.client);
  imagesDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-images-'));
  apiDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-api-'));
  workerDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-worker-'));
  api = await startTestApp({ dataDir: apiDir, importRoots: [imagesDir] }, { artifactStore: store });
  worker = await startTestApp({ databaseUrl: api.databaseUrl, dataDir: workerDir, importRoots: [imagesDir], inProcessWorker: true }, { artifactStore: store });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await s3?.stop();
});

describe('artifacts in an object store', () => {
  it('a run trained by a worker on another machine is deployed, downloaded and deleted by the API from the store', async () => {
    const images = await generateSyntheticImages({ dir: imagesDir, imagesPerLabel: 16, imageSize: 24, seed: 4 });
    const { createDataset } = await gqlOk(api.url, `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, {
      input: { name: 'oct-in-store', images: images.map(({ uri, label, split }) => ({ uri, label, split })) },
    });
    const { startTraining } = await gqlOk(api.url, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
      input: { name: 'stored', datasetId: createDataset.id, trainer: 'TFJS', tfjs: TINY_TFJS },
    });
    const runId = startTraining.id;
    await vi.waitFor(async () => expect((await gqlOk(api.url, `query ($id: ID!) { run(id: $id) { status } }`, { id: runId })).run.status).toBe('SUCCEEDED'), { timeout: 120_000, interval: 250 });

    const { run } = await gqlOk(api.url, `query ($id: ID!) { run(id: $id) { artifacts { kind uri } } }`, { id: runId });
    const model = run.artifacts.find((a: { kind: string }) => a.kind === 'model');
    expect(run.artifacts.every((a: { uri: string }) => a.uri.startsWith(`s3://${s3.bucket}/${PREFIX}artifacts/${runId}/`))).toBe(true);
    expect(model.uri.endsWith('/')).toBe(true);
    expect(await storedKeys(runId)).toEqual(expect.arrayContaining([`${PREFIX}artifacts/${runId}/best-model/model.json`, `${PREFIX}artifacts/${runId}/best-model/weights.bin`]));
    // Nothing of the run on the API's disk: it was trained in the worker's folder.
    expect(existsSync(path.join(apiDir, 'runs'))).toBe(false);

    const deploymentId = await deployAndWait(api.url, { runId, windowSize: 5 });
    const predicted = await gql(api.url, PREDICT, { id: deploymentId, images: [{ base64: (await readFile(images.find((i) => i.split === 'TEST')!.uri)).toString('base64') }] });
    expect(predicted.errors).toBeUndefined();
    expect(readdirSync(path.join(apiDir, 'artifact-cache'))).toHaveLength(1);

    const download = await fetch(`${api.url.replace(/\/graphql$/, '')}/api/runs/${runId}/artifacts/download?uri=${encodeURIComponent(model.uri)}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/x-tar');
    const tar = Buffer.from(await download.arrayBuffer());
    expect(tar.subarray(0, 100).toString('utf8').replace(/\0+$/, '')).toMatch(/^best-model\/(model\.json|weights\.bin)$/);

    await gqlOk(api.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id: deploymentId });
    await gqlOk(api.url, `mutation ($id: ID!) { deleteRun(id: $id) }`, { id: runId });
    expect(await storedKeys(runId)).toEqual([]);
    expect(readdirSync(path.join(apiDir, 'artifact-cache'))).toEqual([]);
  });
});
