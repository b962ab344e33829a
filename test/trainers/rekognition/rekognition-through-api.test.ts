import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRekognitionTrainerJob, type RekognitionOutcome } from '../../../src/trainers/rekognition/rekognition-trainer-job.js';
import { createTrainingWorker, type TrainingWorker } from '../../../src/training/worker/training-worker.js';
import type { LabeledImage } from '../../../src/datasets/dataset.record.js';
import { startRekognitionFakes, type RekognitionFakes } from '../../fakes/rekognition-fakes.js';
import { collect, gqlOk, wsClient } from '../../support/graphql-client.js';
import { useTestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { cancelRun, createDataset, createRun, FINISHED, isFinished, recordEvaluation, startTraining, waitForStatus } from '../../support/testkit.js';
import { EXPECTED_MATRIX, LABELS, syntheticImages, waitFor } from './support.js';

/**
 * Through the API, as a user drives it: startTraining(trainer: REKOGNITION),
 * the real training worker with the Rekognition trainer registered, the real
 * SDK against the local fakes, live events over graphql-ws, compareRuns.
 */
const app = useTestApp();
let fakes: RekognitionFakes;
let worker: TrainingWorker | null = null;
let images: LabeledImage[];
let datasetId: string;
const outcomes = new Map<string, RekognitionOutcome>();

const RUN = `query($id: ID!) { run(id: $id) { status error engine metricKeys evaluation { labels confusionMatrix testImages } } }`;

beforeAll(async () => {
  fakes = await startRekognitionFakes();
  images = await syntheticImages(11);
  datasetId = await createDataset(app, { name: 'oct-rekognition', images });
});

afterAll(async () => {
  await worker?.stop();
  await fakes?.stop();
});

function startWorker(): TrainingWorker {
  worker = createTrainingWorker({
    services: app.services,
    queue: app.queue,
    dataSource: app.dataSource,
    pubsub: app.pubsub,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    dataDir: tempDir('epochal-worker-'),
    statusRecheckMs: 20,
    trainers: {
      REKOGNITION: createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients, onOutcome: (run, outcome) => void outcomes.set(run.id, outcome) }),
    },
  });
  void worker.start();
  return worker;
}

describe('startTraining(trainer: REKOGNITION) through the API', () => {
  it('goes QUEUED → RUNNING → SUCCEEDED with live events, stores the evaluation, and compareRuns sets it beside other runs', async () => {
    const run = await startTraining(app, { name: 'rekognition', datasetId, trainer: 'REKOGNITION' });
    expect(run.status).toBe('QUEUED');
    // A TFJS run recorded by hand and an EXTERNAL run without evaluation, made before any worker exists.
    const tfjs = await startTraining(app, { name: 'tfjs', datasetId, trainer: 'TFJS' });
    await cancelRun(app, tfjs.id);
    await recordEvaluation(app, tfjs.id, {
      labels: ['CNV', 'DME', 'DRUSEN', 'NORMAL'], confusionMatrix: [[4, 0, 0, 0], [0, 3, 1, 0], [0, 0, 4, 0], [1, 0, 0, 3]],
    });
    const external = await createRun(app, { name: 'external' });

    // Subscribed first; the worker starts once the backlog (the QUEUED status) has arrived, so nothing live is missed.
    const client = wsClient(app.url);
    const events = await collect(
      client,
      `subscription($id: ID!) { runEvents(runId: $id, afterStep: 0) { __typename ... on StatusChanged { status error } ... on MetricsLogged { key } } }`,
      { id: run.id },
      (seen) => {
        if (seen.length === 1) startWorker();
        const last = seen.at(-1)!.runEvents;
        return last.__typename === 'StatusChanged' && isFinished(last.status);
      },
    );
    await client.dispose();
    const statuses = events.map((e) => e.runEvents).filter((e) => e.__typename === 'StatusChanged').map((e) => e.status);
    expect(statuses).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(events.some((e) => e.runEvents.__typename === 'MetricsLogged' && e.runEvents.key === 'rekognition_elapsed_seconds')).toBe(true);

    const { run: done } = await gqlOk(app.url, RUN, { id: run.id });
    expect(done.engine).toBe('rekognition');
    expect(done.evaluation).toEqual({ labels: LABELS, confusionMatrix: EXPECTED_MATRIX, testImages: 12 });
    expect(outcomes.get(run.id)).toMatchObject({ billableTrainingSeconds: 4500, estimatedCostUsd: 1.25, versionName: `run-${run.id}` });
    expect(done.metricKeys).toEqual(expect.arrayContaining(['rekognition_billable_training_seconds', 'rekognition_estimated_cost_usd', 'rekognition_elapsed_seconds']));

    const { compareRuns } = await gqlOk(
      app.url,
      `query($ids: [ID!]!) { compareRuns(ids: $ids) { labels runs { trainer } rows { label cells { precision recall f1 support } } } }`,
      { ids: [run.id, tfjs.id, external] },
    );
    expect(compareRuns.labels).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL']);
    expect(compareRuns.runs.map((r: { trainer: string }) => r.trainer)).toEqual(['REKOGNITION', 'TFJS', 'EXTERNAL']);
    const row = (label: string) => compareRuns.rows.find((r: { label: string }) => r.label === label).cells;
    expect(row('CNV')[0]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(row('CNV')[1]).toEqual({ precision: 0.8, recall: 1, f1: expect.closeTo(8 / 9, 10), support: 4 });
    expect(row('DRUSEN')[0]).toBeNull(); // the Rekognition run has no such label
    expect(row('DRUSEN')[1]).toMatchObject({ recall: 1, support: 4 });
    expect(compareRuns.rows.map((r: { label: string }) => r.label)).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL', 'macro']);
    expect(row('macro')[0]).toMatchObject({ f1: 0.75, support: 12 });
    expect(compareRuns.rows.every((r: { cells: unknown[] }) => r.cells[2] === null)).toBe(true); // EXTERNAL: no evaluation
  });

  it('ends FAILED with the service\'s message when training fails', async () => {
    worker ??= startWorker();
    fakes.rekognition.failTraining('The manifest file has too few labels.');
    try {
      const run = await startTraining(app, { name: 'fails', datasetId, trainer: 'REKOGNITION' });
      await waitForStatus(app, run.id, FINISHED);
      const { run: done } = await gqlOk(app.url, RUN, { id: run.id });
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe(
        'Amazon Rekognition training failed: The manifest file has too few labels. What to check: the TRAIN and TEST splits each need images of at least 2 labels.',
      );
    } finally {
      fakes.rekognition.clearFaults();
    }
  });

  it('cancelRun during training marks the run CANCELLED and stops the training', async () => {
    worker ??= startWorker();
    const before = fakes.rekognition.versions().length;
    const run = await startTraining(app, { name: 'cancelled', datasetId, trainer: 'REKOGNITION', rekognition: { projectName: 'cancel-me' } });
    // Training in the fake never ends by itself here: make this version's status stick.
    await waitFor(() => fakes.rekognition.versions().length > before, 'training to start');
    const version = fakes.rekognition.versions().at(-1)!;
    version.pollsLeft = 1_000_000;
    await cancelRun(app, run.id);
    await waitFor(() => version.status === 'STOPPING', 'the training to be stopped');
    const { run: done } = await gqlOk(app.url, RUN, { id: run.id });
    expect(done.status).toBe('CANCELLED');
    expect(fakes.rekognition.calls.filter((c) => c.operation === 'StopProjectVersion').map((c) => c.input.ProjectVersionArn)).toEqual([version.arn]);
  });
});
