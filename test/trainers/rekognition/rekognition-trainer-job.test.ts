import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pino from 'pino';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RekognitionCancelledError } from '../../../src/trainers/rekognition/aws-errors.js';
import { MANAGED_TAG, RUN_TAG } from '../../../src/trainers/rekognition/model-version.js';
import { createRekognitionTrainerJob, REKOGNITION_METRICS } from '../../../src/trainers/rekognition/rekognition-trainer-job.js';
import type { LabeledImage } from '../../../src/datasets/dataset.record.js';
import { startRekognitionFakes, type RekognitionFakes } from '../../fakes/rekognition-fakes.js';
import type { FakeRekognitionOptions } from '../../fakes/fake-rekognition.js';
import { useTestApp } from '../../support/test-app.js';
import { contextFor, EXPECTED_MATRIX, LABELS, runningRekognitionRun, syntheticImages, waitFor } from './support.js';

const app = useTestApp();
let images: LabeledImage[];
let fakes: RekognitionFakes | null = null;

beforeAll(async () => {
  images = await syntheticImages();
});
afterEach(async () => {
  await fakes?.stop();
  fakes = null;
});

async function withFakes(options: Omit<FakeRekognitionOptions, 's3'> = {}) {
  fakes = await startRekognitionFakes(options);
  const job = createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients });
  return { fakes, job };
}

const metric = async (runId: string, key: string) => (await app.services.metrics.series(runId, key, 1000, null)).points.map((p) => p.value);

describe('REKOGNITION trainer against the local fakes', () => {
  it('uploads upscaled images and manifests, trains, and stores the evaluation, billable time and cost', async () => {
    const { fakes, job } = await withFakes();
    const run = await runningRekognitionRun(app, images);
    const outcome = await job.train(contextFor(app, run, images));

    expect(outcome).toMatchObject({ projectName: `epochal-${run.datasetId}`, versionName: `run-${run.id}`, billableTrainingSeconds: 4500, estimatedCostUsd: 1.25, images: { uploaded: 24, skipped: 0 } });
    // Every image in S3 is at least 64 px per side; the manifests hold one Ground Truth line per image.
    const listed = await fakes.s3.client.send(new ListObjectsV2Command({ Bucket: fakes.s3.bucket, Prefix: 'epochal/images/' }));
    expect(listed.KeyCount).toBe(24);
    const first = await fakes.s3.client.send(new GetObjectCommand({ Bucket: fakes.s3.bucket, Key: listed.Contents![0].Key! }));
    expect(await sharp(Buffer.from(await first.Body!.transformToByteArray())).metadata()).toMatchObject({ width: 64, height: 64, format: 'png' });
    const manifest = await fakes.s3.client.send(new GetObjectCommand({ Bucket: fakes.s3.bucket, Key: `epochal/manifests/${run.id}/test.manifest` }));
    const lines = (await manifest.Body!.transformToString()).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]['epochal-class-metadata']).toMatchObject({ 'class-name': 'CNV', type: 'groundtruth/image-classification' });

    // The real status sequence was followed, with the version tagged for the sweep.
    const [version] = fakes.rekognition.versions();
    expect(version.status).toBe('TRAINING_COMPLETED');
    expect(version.tags).toEqual({ [MANAGED_TAG]: 'true', [RUN_TAG]: run.id });
    expect(fakes.rekognition.operations()).not.toContain('StartProjectVersion');

    const [evaluation] = await app.services.evaluations.ofRuns([run.id]);
    expect(evaluation.labels).toEqual(LABELS);
    expect(evaluation.confusionMatrix).toEqual(EXPECTED_MATRIX);
    expect(evaluation.source).toMatch(/evaluation summary \(s3:\/\/epochal-test\/epochal\/output\/EvaluationResultSummary-.*\): its confusion matrix holds fractions/);
    expect(await metric(run.id, REKOGNITION_METRICS.billableTrainingSeconds)).toEqual([4500]);
    expect(await metric(run.id, REKOGNITION_METRICS.estimatedCostUsd)).toEqual([1.25]);
    expect(await metric(run.id, `${REKOGNITION_METRICS.labelRecall}/CNV`)).toEqual([0.75]);
    expect((await metric(run.id, REKOGNITION_METRICS.elapsedSeconds)).length).toBeGreaterThanOrEqual(3);
    const artifacts = (await app.services.artifacts.ofRuns([run.id])).map((a) => a.kind).sort();
    expect(artifacts).toEqual(['rekognition-evaluation-summary', 'rekognition-manifest', 'rekognition-manifest', 'rekognition-model']);
  });

  it('reads the reference-page summary shape too', async () => {
    const { job } = await withFakes({ summaryShape: 'nested' });
    const run = await runningRekognitionRun(app, images);
    const outcome = await job.train(contextFor(app, run, images));
    expect(outcome.f1Score).toBeCloseTo(0.75, 5);
    const [evaluation] = await app.services.evaluations.ofRuns([run.id]);
    expect(evaluation.confusionMatrix).toEqual(EXPECTED_MATRIX);
  });

  it('skips images already in the bucket and reuses a named project, replacing its datasets', async () => {
    const { fakes, job } = await withFakes();
    const first = await runningRekognitionRun(app, images, { projectName: 'oct-study' });
    expect((await job.train(contextFor(app, first, images))).images).toEqual({ uploaded: 24, skipped: 0 });
    const second = await runningRekognitionRun(app, images, { projectName: 'oct-study' });
    const outcome = await job.train(contextFor(app, second, images));
    expect(outcome.images).toEqual({ uploaded: 0, skipped: 24 });
    expect(fakes.rekognition.operations().filter((op) => op === 'CreateProject')).toHaveLength(1);
    expect(fakes.rekognition.operations().filter((op) => op === 'DeleteDataset')).toHaveLength(2);
    expect(fakes.rekognition.versions().map((v) => [v.projectName, v.status])).toEqual([
      ['oct-study', 'TRAINING_COMPLETED'],
      ['oct-study', 'TRAINING_COMPLETED'],
    ]);
  });

  it('rides out throttling (the SDK retries nothing here: maxAttempts 1)', async () => {
    const { fakes, job } = await withFakes();
    fakes.rekognition.throttleNext(2, 'CreateProject');
    fakes.rekognition.throttleNext(5, 'DescribeProjectVersions');
    fakes.rekognition.failNext('DescribeDataset', 'ProvisionedThroughputExceededException', 'Provisioned rate exceeded', 2);
    const run = await runningRekognitionRun(app, images);
    await job.run(contextFor(app, run, images));
    const [evaluation] = await app.services.evaluations.ofRuns([run.id]);
    expect(evaluation.confusionMatrix).toEqual(EXPECTED_MATRIX);
    expect(fakes.rekognition.operations().filter((op) => op === 'CreateProject')).toHaveLength(3);
  });

  it('gives up on endless throttling with AWS\'s message and what to check', async () => {
    fakes = await startRekognitionFakes({}, { EPOCHAL_REKOGNITION_THROTTLE_RETRIES: '2' });
    const job = createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients });
    fakes.rekognition.throttleNext(100, 'CreateProject');
    const run = await runningRekognitionRun(app, images);
    await expect(job.run(contextFor(app, run, images))).rejects.toThrow(
      /CreateProject failed while creating the project .*: ThrottlingException: Rate exceeded\. What to check: AWS kept throttling/,
    );
  });

  it('fails with the service\'s StatusMessage when training fails', async () => {
    const { fakes, job } = await withFakes();
    fakes.rekognition.failTraining('Unable to write to output S3 bucket.');
    const run = await runningRekognitionRun(app, images);
    const error = await job.run(contextFor(app, run, images)).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Amazon Rekognition training failed: Unable to write to output S3 bucket. What to check: let the caller (and Rekognition) write to s3://epochal-test/epochal/output/.',
    );
    expect(job.describeError(error)).toBe((error as Error).message);
    expect(await app.services.evaluations.ofRuns([run.id])).toEqual([]);
  });

  it('fails with the dataset\'s StatusMessage when a dataset cannot be created, before any training', async () => {
    const { fakes, job } = await withFakes();
    fakes.rekognition.failDataset('TEST', 'The manifest file contains an invalid image.', 'CLIENT_ERROR');
    const run = await runningRekognitionRun(app, images);
    await expect(job.run(contextFor(app, run, images))).rejects.toThrow(
      'Amazon Rekognition could not create the TEST dataset: The manifest file contains an invalid image. (CLIENT_ERROR) What to check: check the TEST images',
    );
    expect(fakes.rekognition.operations()).not.toContain('CreateProjectVersion');
  });

  it('explains an AWS error with the service\'s own message (permissions)', async () => {
    const { fakes, job } = await withFakes();
    fakes.rekognition.failNext('CreateProject', 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: rekognition:CreateProject');
    const run = await runningRekognitionRun(app, images);
    await expect(job.run(contextFor(app, run, images))).rejects.toThrow(
      /AccessDeniedException: User: arn:aws:iam::123456789012:user\/ci is not authorized to perform: rekognition:CreateProject\. What to check: check the credentials and their IAM permissions: rekognition:CreateProject/,
    );
  });

  it('evaluateWithInference classifies every TEST image into an exact matrix and stops the model', async () => {
    const { fakes, job } = await withFakes();
    const run = await runningRekognitionRun(app, images, { evaluateWithInference: true, minInferenceUnits: 2 });
    const outcome = await job.train(contextFor(app, run, images));
    const calls = fakes.rekognition.calls;
    expect(calls.find((c) => c.operation === 'StartProjectVersion')?.input).toMatchObject({ MinInferenceUnits: 2 });
    expect(calls.filter((c) => c.operation === 'DetectCustomLabels')).toHaveLength(12);
    expect(calls.at(-1)?.operation).toBe('StopProjectVersion');
    expect(fakes.rekognition.versions()[0].status).toBe('STOPPING');
    const [evaluation] = await app.services.evaluations.ofRuns([run.id]);
    expect(evaluation.confusionMatrix).toEqual(EXPECTED_MATRIX);
    expect(evaluation.source).toMatch(/^Amazon Rekognition DetectCustomLabels on the 12 TEST images .*: exact counts/);
    expect(outcome.evaluationSource).toBe(evaluation.source);
    expect(outcome.inferenceSeconds).toBeGreaterThan(0);
    expect(await metric(run.id, REKOGNITION_METRICS.inferenceSeconds)).toEqual([outcome.inferenceSeconds]);
  });

  it('evaluateWithInference counts every TEST image, byte-identical ones too, while classifying each content once', async () => {
    const { fakes, job } = await withFakes();
    // 20 TEST images sharing 4 contents: 5 copies (own paths, same bytes, same label) of 4 TEST images.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'epochal-rekognition-copies-'));
    const originals = images.filter((i) => i.split === 'TEST').slice(0, 4);
    const copies = originals.flatMap((image, n) => Array.from({ length: 5 }, (_, k) => {
      const uri = path.join(dir, `${n}-${k}.png`);
      copyFileSync(image.uri, uri);
      return { ...image, uri };
    }));
    const withCopies = [...images.filter((i) => i.split === 'TRAIN'), ...copies];
    const run = await runningRekognitionRun(app, withCopies, { evaluateWithInference: true });
    await job.train(contextFor(app, run, withCopies));
    expect(fakes.rekognition.calls.filter((c) => c.operation === 'DetectCustomLabels')).toHaveLength(4);
    const [evaluation] = await app.services.evaluations.ofRuns([run.id]);
    expect(evaluation.testImages).toBe(20);
    expect(evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(20);
    // Copies share their content's prediction and their own label: every cell counts whole groups of 5.
    expect(evaluation.confusionMatrix.flat().every((n) => n % 5 === 0)).toBe(true);
    expect(evaluation.source).toMatch(/on the 20 TEST images .*\(4 distinct contents classified once each\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the model when a DetectCustomLabels call fails', async () => {
    const { fakes, job } = await withFakes();
    fakes.rekognition.failNext('DetectCustomLabels', 'InvalidImageFormatException', 'Request has invalid image format');
    const run = await runningRekognitionRun(app, images, { evaluateWithInference: true });
    await expect(job.run(contextFor(app, run, images))).rejects.toThrow(/DetectCustomLabels failed while classifying the TEST image .*: InvalidImageFormatException: Request has invalid image format\./);
    expect(fakes.rekognition.operations().at(-1)).toBe('StopProjectVersion');
    expect(fakes.rekognition.versions()[0].status).toBe('STOPPING');
  });

  it('stops the training when the run is cancelled', async () => {
    const { fakes, job } = await withFakes({ trainingPolls: 1_000_000 });
    const run = await runningRekognitionRun(app, images);
    const outcome = job.run(contextFor(app, run, images)).catch((e: unknown) => e);
    await waitFor(() => fakes.rekognition.operations().includes('DescribeProjectVersions'), 'training to start');
    await app.services.runs.cancel(run.id);
    const error = await outcome;
    expect(error).toBeInstanceOf(RekognitionCancelledError);
    expect(fakes.rekognition.operations()).toContain('StopProjectVersion');
    expect(fakes.rekognition.versions()[0].status).toBe('STOPPING');
  });

  it('sweeps models left running: only Epochal\'s, and not those of runs still active', async () => {
    const { fakes, job } = await withFakes();
    const orphan = await fakes.rekognition.seedRunningModel('p1', 'v1', { [MANAGED_TAG]: 'true', [RUN_TAG]: 'finished-run' });
    const active = await fakes.rekognition.seedRunningModel('p1', 'v2', { [MANAGED_TAG]: 'true', [RUN_TAG]: 'active-run' });
    const foreign = await fakes.rekognition.seedRunningModel('someone-else', 'v1', {});
    const swept = await job.sweepRunningModels({ log: pino({ level: 'silent' }), isRunActive: (runId) => runId === 'active-run' });
    expect(swept.map((s) => [s.runId, s.stopped])).toEqual([
      ['finished-run', true],
      ['active-run', false],
    ]);
    expect([orphan.status, active.status, foreign.status]).toEqual(['STOPPING', 'RUNNING', 'RUNNING']);
  });
});
