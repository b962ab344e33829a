import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabeledImage } from '../../src/datasets/dataset.record.js';
import { rekognitionTrainer } from '../../src/trainers/rekognition/index.js';
import { createRekognitionTrainerJob } from '../../src/trainers/rekognition/rekognition-trainer-job.js';
import { rekognitionServing } from '../../src/trainers/rekognition/rekognition-serving.js';
import { tfjsTrainer } from '../../src/trainers/tfjs/index.js';
import { createTrainingWorker, type TrainingWorker } from '../../src/training/worker/training-worker.js';
import { startRekognitionFakes, type RekognitionFakes } from '../fakes/rekognition-fakes.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { syntheticImages } from '../trainers/rekognition/support.js';
import { PREDICT } from './support.js';

/**
 * A REKOGNITION run deployed through the API against the wire-protocol fakes:
 * StartProjectVersion with the run's minInferenceUnits, STARTING until
 * RUNNING, DetectCustomLabels, and the model stopped in every outcome.
 */
let app: TestApp;
let fakes: RekognitionFakes;
let worker: TrainingWorker;
let images: LabeledImage[];
let runId: string;
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const DEPLOYMENT = `query ($id: ID!) { deployment(id: $id) { status error costPerHourUsd runningCostUsd activeSince stoppedAt } }`;
const versionOf = (id: string) => fakes.rekognition.versions().find((v) => v.tags['epochal:run-id'] === id)!;

beforeAll(async () => {
  fakes = await startRekognitionFakes({ startingPolls: 3 });
  const serving = rekognitionServing({ config: fakes.config, clients: fakes.clients, log });
  app = await startTestApp({}, { trainers: [tfjsTrainer, { ...rekognitionTrainer, serving: () => serving }] });
  worker = createTrainingWorker({
    services: app.services, queue: app.queue, dataSource: app.dataSource, pubsub: app.pubsub, log,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'epochal-worker-')), statusRecheckMs: 20,
    trainers: { REKOGNITION: createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients, onOutcome: (run, outcome) => app.services.runs.recordOutputs(run.id, { ...outcome }) }) },
  });
  void worker.start();
  images = await syntheticImages(5);
  const { createDataset } = await gqlOk(app.url, `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { name: 'oct-rekognition-deploy', images } });
  const { startTraining } = await gqlOk(app.url, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
    input: { name: 'rekognition to deploy', datasetId: createDataset.id, trainer: 'REKOGNITION', rekognition: { minInferenceUnits: 2 } },
  });
  runId = startTraining.id;
  await vi.waitFor(async () => expect((await gqlOk(app.url, `query ($id: ID!) { run(id: $id) { status } }`, { id: runId })).run.status).toBe('SUCCEEDED'), { timeout: 60_000, interval: 50 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await app?.stop();
  await fakes?.stop();
});

describe('deploying a REKOGNITION run', () => {
  it('starts the model with the run\'s inference units, is STARTING until RUNNING, predicts with DetectCustomLabels, and stops it on undeploy', async () => {
    const { deploy } = await gqlOk(app.url, `mutation ($input: DeployInput!) { deploy(input: $input) { id status } }`, { input: { runId, windowSize: 2 } });
    expect(deploy.status).toBe('STARTING');
    await vi.waitFor(async () => expect((await gqlOk(app.url, DEPLOYMENT, { id: deploy.id })).deployment.status).toBe('ACTIVE'), { timeout: 20_000, interval: 20 });
    const version = versionOf(runId);
    expect(version).toMatchObject({ status: 'RUNNING', minInferenceUnits: 2 });
    const ops = fakes.rekognition.operations();
    expect(ops.filter((o) => o === 'StartProjectVersion')).toHaveLength(1);
    // Described until RUNNING: STARTING took three polls.
    expect(ops.lastIndexOf('DescribeProjectVersions')).toBeGreaterThan(ops.indexOf('StartProjectVersion') + 2);

    const { deployment } = await gqlOk(app.url, DEPLOYMENT, { id: deploy.id });
    expect(deployment.costPerHourUsd).toBe(2 * fakes.config.inferenceUsdPerUnitHour);
    expect(deployment.runningCostUsd).toBeGreaterThanOrEqual(0);

    const testImage = images.find((i) => i.split === 'TEST')!;
    const answer = await gql(app.url, PREDICT, { id: deploy.id, images: [{ base64: (await readFile(testImage.uri)).toString('base64') }] });
    expect(answer.errors).toBeUndefined();
    const [prediction] = answer.data!.predict;
    const scores = prediction.scores.map((s: { score: number }) => s.score);
    expect(scores.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    // The fake answers 91.5 for its label and 8.5 shared (×1, ×0.9) by the two others: shares of their sum.
    expect(prediction.confidence).toBeCloseTo(91.5 / (91.5 + 4.25 + 3.825), 12);
    expect(fakes.rekognition.operations()).toContain('DetectCustomLabels');

    const { undeploy } = await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id: deploy.id });
    expect(undeploy.status).toBe('STOPPED');
    expect(['STOPPING', 'STOPPED']).toContain(versionOf(runId).status);
    const stopped = (await gqlOk(app.url, DEPLOYMENT, { id: deploy.id })).deployment;
    expect(stopped.stoppedAt).not.toBeNull();
    expect(stopped.runningCostUsd).toBeCloseTo(2 * 4 * (Date.parse(stopped.stoppedAt) - Date.parse(stopped.activeSince)) / 3_600_000, 9);
  });

  it('is FAILED, with the service\'s reason, when the model cannot start, and leaves nothing running', async () => {
    // Right after the undeploy above: the model may still be STOPPING, which a new start waits out.
    // As many times as the product retries a limit error (it may clear), so the start fails for good.
    fakes.rekognition.failNext('StartProjectVersion', 'LimitExceededException', 'You have reached the maximum number of running models.', 50);
    const { deploy } = await gqlOk(app.url, `mutation ($input: DeployInput!) { deploy(input: $input) { id } }`, { input: { runId } });
    await vi.waitFor(async () => expect((await gqlOk(app.url, DEPLOYMENT, { id: deploy.id })).deployment.status).toBe('FAILED'), { timeout: 20_000, interval: 20 });
    const { deployment } = await gqlOk(app.url, DEPLOYMENT, { id: deploy.id });
    expect(deployment.error).toMatch(/the model could not be deployed: .*maximum number of running models/);
    expect(versionOf(runId).status).toBe('STOPPED');
    expect(errorCode(await gql(app.url, PREDICT, { id: deploy.id, images: [{ base64: (await readFile(images[0].uri)).toString('base64') }] }))).toBe('CONFLICT');
    fakes.rekognition.clearFaults();
  });

  it('the start-up sweep stops a model left running for no deployment, and keeps a deployed one', async () => {
    const leftOver = await fakes.rekognition.seedRunningModel('crashed-project', 'crashed-version', { 'epochal:managed': 'true', 'epochal:run-id': runId });
    const { deploy } = await gqlOk(app.url, `mutation ($input: DeployInput!) { deploy(input: $input) { id } }`, { input: { runId } });
    await vi.waitFor(async () => expect((await gqlOk(app.url, DEPLOYMENT, { id: deploy.id })).deployment.status).toBe('ACTIVE'), { timeout: 20_000, interval: 20 });
    // The run is deployed: both of its models are in use.
    await app.services.deployments.resume();
    expect(leftOver.status).toBe('RUNNING');
    expect(versionOf(runId).status).toBe('RUNNING');
    await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id: deploy.id });
    await app.services.deployments.resume();
    expect(['STOPPING', 'STOPPED']).toContain(leftOver.status);
  });
});
