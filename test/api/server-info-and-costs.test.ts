import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeEngineName } from '../../src/trainers/tfjs/engine/select-engine.js';
import { estimateTrainingSpeed } from '../../src/training/training-speed.js';
import { gql, gqlOk } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * serverInfo (what this server can train, and how fast) and compareRuns' cost,
 * time and TEST-set check, around one real TFJS run trained by the in-process
 * worker, priced at 2 USD per machine-hour.
 */
const SERVER_INFO = /* GraphQL */ `query($architecture: Architecture!, $imageSize: Int!) {
  serverInfo { engine trainers { kind available reason } trainingSpeed(architecture: $architecture, imageSize: $imageSize) { imagesPerSecond basis } }
}`;
const COMPARE = /* GraphQL */ `query($ids: [ID!]!) {
  compareRuns(ids: $ids) { runs { id startedAt finishedAt outputs } costs { runId trainingSeconds billedTrainingSeconds engine estimatedCostUsd costBasis } testSets testSetWarning }
}`;
const TINY_TFJS = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, epochs: 1, fineTuneEpochs: 0, seed: 7 };

let app: TestApp;
const datasets: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ inProcessWorker: true, machineUsdPerHour: 2 });
  for (const [name, seed] of [['oct-a', 3], ['oct-b', 4]] as const) {
    const data = await gqlOk(app.url, `mutation($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id } }`,
      { input: { name, imagesPerLabel: 12, imageSize: 24, seed } });
    datasets[name] = data.generateSyntheticDataset.id;
  }
});
afterAll(async () => {
  await app?.stop();
});

async function trainTinyRun(): Promise<string> {
  const { startTraining } = await gqlOk(app.url, `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
    { input: { name: 'tiny', datasetId: datasets['oct-a'], trainer: 'TFJS', tfjs: TINY_TFJS } });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { status error } }`, { id: startTraining.id });
    if (run.status === 'SUCCEEDED') return startTraining.id;
    if (run.status === 'FAILED' || run.status === 'CANCELLED') throw new Error(`the run ended ${run.status}: ${run.error}`);
    if (Date.now() > deadline) throw new Error('the run did not finish in 120 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function externalRunOn(datasetId: string | null, name: string): Promise<string> {
  const { createRun } = await gqlOk(app.url, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, { input: { name, datasetId } });
  await gqlOk(app.url, `mutation($id: ID!) { recordEvaluation(runId: $id, input: { labels: ["CNV", "NORMAL"], confusionMatrix: [[2, 0], [1, 3]] }) { accuracy } }`, { id: createRun.id });
  return createRun.id;
}

describe('serverInfo', () => {
  it('queues a REKOGNITION run on a server without EPOCHAL_S3_BUCKET with a note naming it', async () => {
    const { startTraining } = await gqlOk(app.url, `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
      { input: { name: 'waits', datasetId: datasets['oct-b'], trainer: 'REKOGNITION' } });
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { status notes { message } } }`, { id: startTraining.id });
    expect(run.status).toBe('QUEUED');
    expect(run.notes).toEqual([{ message: expect.stringMatching(/queued for a worker that can train REKOGNITION; this server cannot: EPOCHAL_S3_BUCKET is not set/) }]);
    await gqlOk(app.url, `mutation($id: ID!) { cancelRun(id: $id) { status } }`, { id: startTraining.id });
  });

  it('says which trainers this server can run and why not: REKOGNITION needs EPOCHAL_S3_BUCKET', async () => {
    const { serverInfo } = await gqlOk(app.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 64 });
    expect(serverInfo.trainers).toEqual([
      { kind: 'TFJS', available: true, reason: null },
      { kind: 'REKOGNITION', available: false, reason: expect.stringContaining('EPOCHAL_S3_BUCKET') },
    ]);
    const withBucket = await startTestApp({ env: { EPOCHAL_S3_BUCKET: 'my-bucket' } });
    try {
      const info = (await gqlOk(withBucket.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 64 })).serverInfo;
      expect(info.trainers.find((t: { kind: string }) => t.kind === 'REKOGNITION')).toEqual({ kind: 'REKOGNITION', available: true, reason: null });
    } finally {
      await withBucket.stop();
    }
  });

  it('refuses an image size out of range with BAD_USER_INPUT naming it', async () => {
    const result = await gql(app.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 4 });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/imageSize/);
  });

  it('estimates from the benchmark before any run, then from what this server measured', async () => {
    const before = (await gqlOk(app.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 64 })).serverInfo;
    // No run yet: the engine is what the installed packages give.
    expect(before.engine).toBe(probeEngineName());
    if (before.engine === 'wasm') {
      expect(before.trainingSpeed).toEqual({ imagesPerSecond: 127, basis: expect.stringMatching(/benchmark/) });
      const vgg = (await gqlOk(app.url, SERVER_INFO, { architecture: 'VGG16', imageSize: 224 })).serverInfo.trainingSpeed;
      expect(vgg.imagesPerSecond).toBeLessThan(1);
    }

    const runId = await trainTinyRun();
    const { compareRuns } = await gqlOk(app.url, COMPARE, { ids: [runId] });
    const measured = compareRuns.runs[0].outputs.imagesPerSecond;
    const after = (await gqlOk(app.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 24 })).serverInfo;
    expect(after.engine).toBe(compareRuns.costs[0].engine);
    expect(after.trainingSpeed.basis).toMatch(/^measured: median of 1 SMALL_CNN run\(s\) at 24 px/);
    expect(Math.abs(after.trainingSpeed.imagesPerSecond - measured)).toBeLessThanOrEqual(0.5); // rounded for display
    // Four times the pixels of the measured run: about a quarter of its speed.
    const larger = (await gqlOk(app.url, SERVER_INFO, { architecture: 'SMALL_CNN', imageSize: 48 })).serverInfo.trainingSpeed;
    expect(larger.basis).toMatch(/^scaled by compute per image from a SMALL_CNN run at 24 px/);
    expect(Math.abs(larger.imagesPerSecond - measured / 4)).toBeLessThanOrEqual(0.5);
  });
});

describe('compareRuns: cost, time and TEST sets', () => {
  it('prices a TFJS run at its training hours × EPOCHAL_MACHINE_USD_PER_HOUR, with its engine', async () => {
    const runId = await trainTinyRun();
    const { compareRuns } = await gqlOk(app.url, COMPARE, { ids: [runId] });
    const [{ startedAt, finishedAt }] = compareRuns.runs;
    const [cost] = compareRuns.costs;
    const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
    expect(cost).toMatchObject({ runId, engine: compareRuns.runs[0].outputs.engine, billedTrainingSeconds: null, costBasis: expect.stringContaining('EPOCHAL_MACHINE_USD_PER_HOUR') });
    expect(cost.trainingSeconds).toBeCloseTo(seconds, 2);
    expect(cost.estimatedCostUsd).toBeCloseTo((seconds / 3600) * 2, 4);
    expect(compareRuns.testSetWarning).toBeNull();
  });

  it('leaves a TFJS run unpriced, saying how to price it, when no machine price is set', async () => {
    const unpriced = await startTestApp({ databaseUrl: app.databaseUrl });
    try {
      const { runs } = await gqlOk(unpriced.url, `{ runs(filter: { trainer: [TFJS], status: [SUCCEEDED] }, first: 1) { edges { node { id } } } }`);
      const { compareRuns } = await gqlOk(unpriced.url, COMPARE, { ids: [runs.edges[0].node.id] });
      expect(compareRuns.costs[0]).toMatchObject({ estimatedCostUsd: null, costBasis: expect.stringMatching(/set EPOCHAL_MACHINE_USD_PER_HOUR/) });
      expect(compareRuns.costs[0].trainingSeconds).toBeGreaterThan(0);
    } finally {
      await unpriced.stop();
    }
  });

  it('warns when the evaluated runs were scored on different TEST sets, or on one it cannot tell', async () => {
    const a1 = await externalRunOn(datasets['oct-a'], 'on a, first');
    const a2 = await externalRunOn(datasets['oct-a'], 'on a, second');
    const b = await externalRunOn(datasets['oct-b'], 'on b');
    const none = await externalRunOn(null, 'no dataset');

    const same = (await gqlOk(app.url, COMPARE, { ids: [a1, a2] })).compareRuns;
    expect(same.testSetWarning).toBeNull();
    expect(same.testSets[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(same.testSets[1]).toBe(same.testSets[0]);

    const different = (await gqlOk(app.url, COMPARE, { ids: [a1, b] })).compareRuns;
    expect(different.testSets[0]).not.toBe(different.testSets[1]);
    expect(different.testSetWarning).toMatch(/2 different TEST sets: "on a, first" \(oct-a\) vs "on b" \(oct-b\)/);

    const unknown = (await gqlOk(app.url, COMPARE, { ids: [a1, none] })).compareRuns;
    expect(unknown.testSets[1]).toBeNull();
    expect(unknown.testSetWarning).toMatch(/"no dataset" has no dataset, so its TEST set is unknown/);
  });
});

describe('estimateTrainingSpeed', () => {
  it('prefers the median of matching runs, scales from the nearest in compute otherwise, and knows nothing of an engine never measured', () => {
    const measured = [
      { architecture: 'SMALL_CNN', imageSize: 64, imagesPerSecond: 100 },
      { architecture: 'SMALL_CNN', imageSize: 64, imagesPerSecond: 140 },
      { architecture: 'SMALL_CNN', imageSize: 64, imagesPerSecond: 120 },
      { architecture: 'MOBILENET_V2', imageSize: 224, imagesPerSecond: 3 },
    ];
    expect(estimateTrainingSpeed('wasm', 'SMALL_CNN', 64, measured)).toEqual({ imagesPerSecond: 120, basis: expect.stringMatching(/median of 3/) });
    // MobileNetV2 at 160 px is nearer in compute to the measured MobileNetV2 at 224 than to SMALL_CNN at 64.
    const scaled = estimateTrainingSpeed('wasm', 'MOBILENET_V2', 160, measured)!;
    expect(scaled.basis).toMatch(/from a MOBILENET_V2 run at 224 px/);
    expect(scaled.imagesPerSecond).toBeCloseTo(3 * (224 / 160) ** 2, 1);
    expect(estimateTrainingSpeed('webgpu', 'VGG16', 224, [])).toBeNull();
  });
});
