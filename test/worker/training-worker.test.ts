import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from 'graphql-ws';
import { useTestApp } from '../support/test-app.js';
import { gqlOk, wsClient } from '../support/graphql-client.js';
import { cancelRun, isFinished, makeDataset, startTraining } from '../support/testkit.js';
import { loadTrainingEngine } from '../../src/trainers/tfjs/engine/select-engine.js';

/**
 * The in-process worker end to end, through the API only: a synthetic dataset,
 * startTraining, live events over graphql-ws, and what the run leaves behind.
 * Tiny images and a small CNN keep it to seconds on two cores.
 */
const RUN_EVENTS = /* GraphQL */ `
  subscription ($runId: ID!) {
    runEvents(runId: $runId) {
      __typename
      ... on EpochCompleted { epoch { phase index loss } }
      ... on MetricsLogged { key points { step value } }
      ... on StatusChanged { status error }
      ... on RunNote { message }
    }
  }`;
const RUN = /* GraphQL */ `
  query ($id: ID!) {
    run(id: $id) {
      status error engine gpuName workerId startedAt finishedAt
      epochs { phase index loss learningRate }
      batchLoss: metric(key: "batch_loss", maxPoints: 10000) { totalPoints points { step value } }
      learningRate: metric(key: "learning_rate") { totalPoints }
      throughput: metric(key: "images_per_second") { totalPoints points { value } }
      artifacts { kind uri bytes }
      outputs
      evaluation { labels confusionMatrix testImages macroF1 }
      dataset { classCounts { split count } }
    }
  }`;

type RunEvent =
  | { __typename: 'EpochCompleted'; epoch: { phase: string; index: number; loss: number } }
  | { __typename: 'MetricsLogged'; key: string; points: { step: number; value: number }[] }
  | { __typename: 'StatusChanged'; status: string; error: string | null }
  | { __typename: 'RunNote'; message: string };

const TINY_TFJS = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, batchLogEvery: 1, seed: 7 };

const app = useTestApp({ inProcessWorker: true });
let client: Client;
let datasetId: string;

beforeAll(async () => {
  client = wsClient(app.url);
  datasetId = (await makeDataset(app, { name: 'tiny-oct', imagesPerLabel: 20, imageSize: 24, seed: 3 })).id;
});

afterAll(async () => {
  await client?.dispose();
});

/** Follows a run's events until it finishes; `onEvent` may act on the run meanwhile (cancel it). */
async function followRun(runId: string, onEvent: (event: RunEvent, seen: RunEvent[]) => Promise<void> | void = () => {}) {
  const events: RunEvent[] = [];
  const iterator = client.iterate<{ runEvents: RunEvent }>({ query: RUN_EVENTS, variables: { runId } });
  const timer = setTimeout(() => void iterator.return?.(), 100_000);
  try {
    for await (const result of iterator) {
      if (result.errors?.length) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
      const event = result.data!.runEvents;
      events.push(event);
      await onEvent(event, events);
      if (event.__typename === 'StatusChanged' && isFinished(event.status)) break;
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
  return events;
}

const readRun = async (id: string) => (await gqlOk(app.url, RUN, { id })).run;

describe('training worker (in-process)', () => {
  it('trains a TFJS run started through the API, live, to SUCCEEDED with an evaluation on the whole TEST split', async () => {
    const started = await startTraining(app, { name: 'tiny small CNN', datasetId, trainer: 'TFJS', tfjs: { ...TINY_TFJS, epochs: 2, fineTuneEpochs: 1 } });
    expect(started.status).toBe('QUEUED');
    const runId = started.id;
    const events = await followRun(runId);

    const epochEvents = events.filter((e) => e.__typename === 'EpochCompleted');
    expect(epochEvents.map((e) => `${e.epoch.phase}:${e.epoch.index}`)).toEqual(['train:0', 'train:1', 'finetune:0']);
    const statuses = events.filter((e) => e.__typename === 'StatusChanged').map((e) => e.status);
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    // Live: every epoch arrived before the run finished.
    expect(events.findIndex((e) => e.__typename === 'StatusChanged' && e.status === 'SUCCEEDED')).toBe(events.length - 1);
    expect(events.some((e) => e.__typename === 'MetricsLogged' && e.key === 'batch_loss')).toBe(true);

    const run = await readRun(runId);
    // The engine the rule picks here: tfjs-node once `npm run setup-engine` has run, else wasm.
    const engine = (await loadTrainingEngine()).name;
    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, engine, gpuName: null, workerId: app.worker!.workerId });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(run.epochs.map((e: { phase: string; index: number }) => `${e.phase}:${e.index}`)).toEqual(['train:0', 'train:1', 'finetune:0']);
    expect(run.epochs.every((e: { loss: number; learningRate: number }) => Number.isFinite(e.loss) && e.learningRate > 0)).toBe(true);

    // batchLogEvery 1: one point per batch, steps 1..n across both phases.
    const trainImages = run.dataset.classCounts.filter((c: { split: string }) => c.split === 'TRAIN').reduce((s: number, c: { count: number }) => s + c.count, 0);
    const batchesPerEpoch = Math.ceil(trainImages / TINY_TFJS.batchSize);
    expect(run.batchLoss.totalPoints).toBe(run.batchLoss.points.at(-1).step);
    expect(run.batchLoss.totalPoints).toBeGreaterThanOrEqual(3);
    expect(run.batchLoss.totalPoints).toBeLessThanOrEqual(3 * batchesPerEpoch);
    expect(run.learningRate.totalPoints).toBe(3);
    // Throughput per epoch, like the learning rate.
    expect(run.throughput.totalPoints).toBe(3);
    expect(run.throughput.points.every((p: { value: number }) => p.value > 0)).toBe(true);

    // No baseModelPath: the run says, live and in its outputs, that the base trained from scratch.
    // Notes are live only; one sent after RUNNING reaches a subscriber that saw RUNNING live.
    const notes = events.filter((e) => e.__typename === 'RunNote').map((e) => e.message);
    if (events.some((e) => e.__typename === 'StatusChanged' && e.status === 'RUNNING')) {
      expect(notes.some((message) => /SMALL_CNN trains from scratch: no baseModelPath/.test(message))).toBe(true);
    }
    expect(run.outputs).toMatchObject({ pretrained: false, baseModelPath: null, engine, epochsRun: 3, stoppedEarly: false });
    expect(run.outputs.imagesPerSecond).toBeGreaterThan(0);

    const kinds = run.artifacts.map((a: { kind: string }) => a.kind).sort();
    expect(kinds).toEqual(['csv-log', 'final-model', 'model']);
    for (const artifact of run.artifacts as { kind: string; uri: string; bytes: number }[]) {
      expect(artifact.uri.startsWith('file://')).toBe(true);
      const file = fileURLToPath(artifact.uri);
      expect(file).toContain(path.join('runs', runId));
      expect(existsSync(file)).toBe(true);
      expect(artifact.bytes).toBeGreaterThan(0);
    }
    const model = run.artifacts.find((a: { kind: string }) => a.kind === 'model');
    expect(statSync(path.join(fileURLToPath(model.uri), 'model.json')).size).toBeGreaterThan(0);

    const testImages = run.dataset.classCounts.filter((c: { split: string }) => c.split === 'TEST').reduce((s: number, c: { count: number }) => s + c.count, 0);
    expect(run.evaluation.labels).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL']);
    expect(run.evaluation.testImages).toBe(testImages);
    expect((run.evaluation.confusionMatrix as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(testImages);
  });

  it('cancelRun stops a training within a batch: CANCELLED, and nothing is logged after it', async () => {
    const epochs = 40;
    const started = await startTraining(app, { name: 'cancel me', datasetId, trainer: 'TFJS', tfjs: { ...TINY_TFJS, epochs, fineTuneEpochs: 0, earlyStoppingPatience: 0, augment: false } });
    expect(started.status).toBe('QUEUED');
    const runId = started.id;
    let cancelled = false;
    const events = await followRun(runId, async (event) => {
      if (!cancelled && event.__typename === 'EpochCompleted') {
        cancelled = true;
        expect(await cancelRun(app, runId)).toBe('CANCELLED');
      }
    });
    expect(events.at(-1)).toMatchObject({ __typename: 'StatusChanged', status: 'CANCELLED', error: 'cancelled by a user' });

    // The worker lets go of the run; once it has, nothing more can come.
    await vi.waitFor(() => expect(app.worker!.activeRunIds()).not.toContain(runId), { timeout: 30_000, interval: 100 });
    const run = await readRun(runId);
    expect(run.status).toBe('CANCELLED');
    const epochsSeen = events.filter((e) => e.__typename === 'EpochCompleted').length;
    expect(run.epochs).toHaveLength(epochsSeen);
    expect(run.epochs.length).toBeLessThan(epochs);
    expect(run.evaluation).toBeNull();
  });
});
