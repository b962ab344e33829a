import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk, wsClient } from '../support/graphql-client.js';

/**
 * MOBILENET_V2 with `pretrained: true`, through the API only: the bundled
 * backbone (nsfwjs' MobileNetV2) is loaded at the run's image size, trained
 * frozen, then fine-tuned end to end, and the run says exactly what the base is.
 */
const START = /* GraphQL */ `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id status config } }`;
const RUN = /* GraphQL */ `
  query ($id: ID!) {
    run(id: $id) { status error engine epochs { phase index loss } outputs notes { message } evaluation { testImages } artifacts { kind } }
  }`;
const PRETRAINED = { architecture: 'MOBILENET_V2', pretrained: true, imageSize: 32, channels: 3, batchSize: 16, epochs: 1, fineTuneEpochs: 1, augment: false, seed: 5 };

let app: TestApp;
let client: Client;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp({ inProcessWorker: true });
  client = wsClient(app.url);
  datasetId = (await gqlOk(app.url, `mutation { generateSyntheticDataset(input: { name: "tiny-oct-rgb", imagesPerLabel: 12, imageSize: 32, seed: 4 }) { id } }`))
    .generateSyntheticDataset.id;
});

afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

/** Waits for the run's terminal status through its live events. */
async function settled(runId: string): Promise<string> {
  const iterator = client.iterate<{ runEvents: { __typename: string; status?: string } }>({
    query: `subscription ($runId: ID!) { runEvents(runId: $runId) { __typename ... on StatusChanged { status } } }`,
    variables: { runId },
  });
  const timer = setTimeout(() => void iterator.return?.(), 150_000);
  try {
    for await (const result of iterator) {
      const status = result.data?.runEvents.status;
      if (status && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status)) return status;
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
  return 'TIMEOUT';
}

describe('pretrained MOBILENET_V2', () => {
  it('fine-tunes the bundled backbone end to end and labels it honestly in the notes and outputs', async () => {
    const started = (await gqlOk(app.url, START, { input: { name: 'mobilenet pretrained', datasetId, trainer: 'TFJS', tfjs: PRETRAINED } })).startTraining;
    expect(started.config.tfjs).toMatchObject({ architecture: 'MOBILENET_V2', pretrained: true, baseModelPath: null });
    const status = await settled(started.id);
    const run = (await gqlOk(app.url, RUN, { id: started.id })).run;
    expect({ status, error: run.error }).toEqual({ status: 'SUCCEEDED', error: null });
    expect(run.epochs.map((e: { phase: string; index: number }) => `${e.phase}:${e.index}`)).toEqual(['train:0', 'finetune:0']);
    expect(run.epochs.every((e: { loss: number }) => Number.isFinite(e.loss))).toBe(true);
    expect(run.outputs).toMatchObject({ pretrained: true, baseModelPath: null, epochsRun: 2 });
    expect(run.outputs.pretrainedBase).toMatch(/nsfwjs.*ImageNet-initialised.*fine-tuned on another task.*out_relu/);
    expect(run.notes.map((n: { message: string }) => n.message)).toContainEqual(expect.stringMatching(/^MOBILENET_V2 starts from a pretrained base: MobileNetV2 backbone from the nsfwjs npm package/));
    expect(run.notes.some((n: { message: string }) => /trains from scratch/.test(n.message))).toBe(false);
    expect(run.evaluation.testImages).toBeGreaterThan(0);
    expect(run.artifacts.map((a: { kind: string }) => a.kind).sort()).toEqual(['csv-log', 'final-model', 'model']);
  }, 180_000);

  it.each([
    ['another architecture', { architecture: 'VGG16', pretrained: true }, /input\.tfjs\.pretrained: pretrained: true is offered for MOBILENET_V2 only \(got VGG16\)/],
    ['grayscale input', { architecture: 'MOBILENET_V2', pretrained: true, channels: 1 }, /input\.tfjs\.channels: the pretrained MOBILENET_V2 takes RGB input/],
    ['a base folder as well', { architecture: 'MOBILENET_V2', pretrained: true, baseModelPath: '/models/x' }, /input\.tfjs\.baseModelPath: give either pretrained: true or baseModelPath/],
  ])('refuses pretrained with %s (BAD_USER_INPUT, no run)', async (_name, tfjs, message) => {
    const [{ before }] = await app.dataSource.query('SELECT count(*)::int AS before FROM runs');
    const result = await gql(app.url, START, { input: { name: 'bad', datasetId, trainer: 'TFJS', tfjs } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(message);
    const [{ after }] = await app.dataSource.query('SELECT count(*)::int AS after FROM runs');
    expect(after).toBe(before);
  });
});
