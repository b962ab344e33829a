import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk, untilLive, wsClient } from '../support/graphql-client.js';
import { brightenedTestUris, bruteForceKs, deployAndWait, handPsi, PREDICT, readDeploymentFrom, trainTinyRun } from './support.js';

/**
 * Deployments through the API with a real model: a small CNN trained by the
 * in-process worker on synthetic scans, deployed, asked, monitored.
 */
let app: TestApp;
let client: Client;
let runId: string;
let datasetId: string;
let testUris: string[];
let testLabels: string[];

const readDeployment = (id: string) => readDeploymentFrom(app.url, id);
const predict = (id: string, images: unknown[]) => gql(app.url, PREDICT, { id, images });
const b64 = async (uri: string) => (await readFile(uri)).toString('base64');

beforeAll(async () => {
  app = await startTestApp({ inProcessWorker: true });
  client = wsClient(app.url);
  const trained = await trainTinyRun(app.url, 'deploy-oct');
  runId = trained.runId;
  datasetId = trained.datasetId;
  const { dataset } = await gqlOk(app.url, `query ($id: ID!) { dataset(id: $id) { images(split: TEST, first: 500) { uri label } } }`, { id: trained.datasetId });
  testUris = dataset.images.map((i: { uri: string }) => i.uri);
  testLabels = dataset.images.map((i: { label: string }) => i.label);
}, 180_000);

afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

describe('deploy and predict', () => {
  let id: string;

  it('deploys a SUCCEEDED run: STARTING at once, ACTIVE with a reference built on its TEST split', async () => {
    id = await deployAndWait(app.url, { runId, name: 'oct in use', windowSize: 4 });
    const d = await readDeployment(id);
    expect(d).toMatchObject({ name: 'oct in use', status: 'ACTIVE', labels: ['CNV', 'DME', 'DRUSEN', 'NORMAL'], windowSize: 4, run: { id: runId } });
    expect(d.reference.images).toBe(testUris.length);
    expect(d.reference.meanIntensity).toHaveLength(testUris.length);
    expect(d.reference.predictedShare.reduce((s: number, x: { score: number }) => s + x.score, 0)).toBeCloseTo(1, 12);
  });

  it('answers per image the top label, its confidence and every score summing to 1; the same bytes return the stored prediction', async () => {
    const first = await predict(id, [{ uri: testUris[0] }, { uri: testUris[1] }]);
    expect(first.errors).toBeUndefined();
    for (const p of first.data!.predict) {
      const scores = p.scores.map((s: { score: number }) => s.score);
      expect(scores.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.scores.map((s: { label: string }) => s.label)).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL']);
      expect(p.confidence).toBe(Math.max(...scores));
      expect(p.label).toBe(p.scores.find((s: { score: number }) => s.score === p.confidence).label);
    }
    expect(first.data!.predict[0].uri).toBe(testUris[0]);
    // Inline bytes equal to a path: the same stored prediction, not a second one.
    const again = await predict(id, [{ base64: await b64(testUris[0]) }, { uri: testUris[1] }]);
    expect(again.data!.predict.map((p: { id: string }) => p.id)).toEqual(first.data!.predict.map((p: { id: string }) => p.id));
    const d = await readDeployment(id);
    expect(d.predictions.totalCount).toBe(2);
    expect(d.windows).toEqual([]);
  });

  it('closes a window every windowSize predictions with exact statistics against the reference', async () => {
    await predict(id, testUris.slice(2, 7).map((uri) => ({ uri })));
    const d = await readDeployment(id);
    expect(d.predictions.totalCount).toBe(7);
    expect(d.windows.map((w: { index: number }) => w.index)).toEqual([0]);
    const window = d.windows[0];
    // Window 0: the first four predictions by arrival (newest first in the connection).
    const members = [...d.predictions.edges].reverse().slice(0, 4).map((e: { node: any }) => e.node);
    expect(members.every((p: { window: number }) => p.window === 0)).toBe(true);
    const share = d.labels.map((label: string) => members.filter((p: { label: string }) => p.label === label).length / 4);
    expect(window.predictedShare.map((s: { score: number }) => s.score)).toEqual(share);
    expect(window.meanConfidence).toBeCloseTo(members.reduce((s: number, p: { confidence: number }) => s + p.confidence, 0) / 4, 12);
    const referenceShare = d.reference.predictedShare.map((s: { score: number }) => s.score);
    expect(window.predictedClassPsi).toBeCloseTo(handPsi(share, referenceShare), 12);
    expect(window.inputDrift).toBeCloseTo(bruteForceKs(members.map((p: { meanIntensity: number }) => p.meanIntensity), d.reference.meanIntensity), 12);
    expect(window.evaluation).toBeNull();
    // Also a metric series of the deployment.
    const series = await gqlOk(app.url, `query ($id: ID!) { deployment(id: $id) { metric(key: "input_drift") { totalPoints points { step value } } } }`, { id });
    expect(series.deployment.metric).toEqual({ totalPoints: 1, points: [{ step: 0, value: window.inputDrift }] });
  });

  it('late truth gives windows their evaluation, replaced when recorded again', async () => {
    const d = await readDeployment(id);
    const byUri = new Map(testUris.map((uri, i) => [uri, testLabels[i]]));
    const members = [...d.predictions.edges].reverse().slice(0, 4).map((e: { node: any }) => e.node);
    const truths = members.map((p: { id: string; uri: string }) => ({ predictionId: p.id, label: byUri.get(p.uri)! }));
    const recorded = await gqlOk(app.url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`, { id, t: truths });
    expect(recorded.recordTruth).toBe(4);
    const after = (await readDeployment(id)).windows[0];
    const labels = d.labels as string[];
    const matrix = labels.map(() => labels.map(() => 0));
    members.forEach((p: { label: string; uri: string }) => matrix[labels.indexOf(byUri.get(p.uri)!)][labels.indexOf(p.label)]++);
    expect(after.evaluation.confusionMatrix).toEqual(matrix);
    expect(after.evaluation.testImages).toBe(4);
    // Every truth re-recorded as CNV: the matrix follows.
    await gqlOk(app.url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`, {
      id, t: truths.map((t: { predictionId: string }) => ({ ...t, label: 'CNV' })),
    });
    const replaced = (await readDeployment(id)).windows[0];
    expect(replaced.evaluation.confusionMatrix[0].reduce((a: number, b: number) => a + b, 0)).toBe(4);
    expect(replaced.evaluation.confusionMatrix.slice(1).flat().every((v: number) => v === 0)).toBe(true);
  });

  it('refuses every bad input, storing nothing', async () => {
    const before = (await readDeployment(id)).predictions.totalCount;
    const cases: [unknown[], string, RegExp][] = [
      [Array.from({ length: 65 }, () => ({ uri: testUris[0] })), 'BAD_USER_INPUT', /at most 64 images/],
      [[{ uri: testUris[0], base64: 'AAAA' }], 'BAD_USER_INPUT', /images\[0\].*exactly one of uri and base64/],
      [[{}], 'BAD_USER_INPUT', /exactly one of uri and base64/],
      [[{ base64: Buffer.from('not an image at all').toString('base64') }], 'BAD_USER_INPUT', /images\[0\]: the bytes are not an image/],
      [[{ base64: '***' }], 'BAD_USER_INPUT', /images\[0\].base64 is not base64/],
      [[{ uri: '/etc/hostname' }], 'BAD_USER_INPUT', /outside the folders/],
      [[{ uri: testUris[2] }, { uri: `${testUris[0]}.missing` }], 'BAD_USER_INPUT', /images\[1\].uri: .* does not exist/],
    ];
    for (const [images, code, message] of cases) {
      const result = await predict(id, images);
      expect(errorCode(result), JSON.stringify(result.errors)).toBe(code);
      expect(result.errors![0].message).toMatch(message);
    }
    const unknown = await predict('00000000-0000-4000-8000-000000000000', [{ uri: testUris[0] }]);
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect((await readDeployment(id)).predictions.totalCount).toBe(before);

    const badTruth = await gql(app.url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`, {
      id, t: [{ predictionId: '00000000-0000-4000-8000-000000000000', label: 'CNV' }],
    });
    expect(errorCode(badTruth)).toBe('NOT_FOUND');
    const badLabel = await gql(app.url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`, {
      id, t: [{ predictionId: '00000000-0000-4000-8000-000000000000', label: 'CAT' }],
    });
    expect(errorCode(badLabel)).toBe('BAD_USER_INPUT');

    const deploy = (input: Record<string, unknown>) => gql(app.url, `mutation ($input: DeployInput!) { deploy(input: $input) { id } }`, { input });
    expect(errorCode(await deploy({ runId: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
    expect(errorCode(await deploy({ runId, windowSize: 0 }))).toBe('BAD_USER_INPUT');
    const rule = await deploy({ runId, alerts: [{ metric: 'INPUT_DRIFT', above: 0.5, below: 0.1 }] });
    expect(errorCode(rule)).toBe('BAD_USER_INPUT');
    expect(rule.errors![0].message).toMatch(/input.alerts\[0\]: give exactly one of above and below/);
    const external = await gqlOk(app.url, `mutation { createRun(input: { name: "external" }) { id } }`);
    const running = await deploy({ runId: external.createRun.id });
    expect(errorCode(running)).toBe('CONFLICT');
    expect(running.errors![0].message).toMatch(/is RUNNING; only a SUCCEEDED run can be deployed/);
  });

  it('undeploy stops it: STOPPED, and predict then answers CONFLICT', async () => {
    const stopped = await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id });
    expect(stopped.undeploy.status).toBe('STOPPED');
    expect(app.services.deployments.host.has(id)).toBe(false);
    const refused = await predict(id, [{ uri: testUris[9] }]);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect((await readDeployment(id)).predictions.totalCount).toBe(7);
  });
});

describe('monitoring live', () => {
  it('pushes WindowClosed and AlertRaised over graphql-ws when scans from another scanner drift', async () => {
    const id = await deployAndWait(app.url, { runId, windowSize: 2, alerts: [{ metric: 'INPUT_DRIFT', above: 0.99 }, { metric: 'MEAN_CONFIDENCE', below: -1 }] });
    const events: any[] = [];
    const iterator = client.iterate({ query: `subscription ($id: ID!) { deploymentEvents(deploymentId: $id) {
      __typename
      ... on WindowClosed { window { index inputDrift } }
      ... on AlertRaised { alert { metric window value threshold } }
      ... on DeploymentStatusChanged { status }
    } }`, variables: { id } });
    const reading = (async () => {
      for await (const result of iterator) events.push((result.data as any).deploymentEvents);
    })();
    // In distribution until the subscription is seen live.
    let next = 0;
    await untilLive(() => predict(id, [{ uri: testUris[next++ % testUris.length] }]), () => events.some((e) => e.__typename === 'WindowClosed'));
    const closedBefore = events.filter((e) => e.__typename === 'WindowClosed').length;
    const drifted = await brightenedTestUris(app.url, datasetId, 2);
    const result = await predict(id, drifted.map((uri) => ({ uri })));
    expect(result.errors).toBeUndefined();
    const window = result.data!.predict[0].window;
    await expect.poll(() => events.some((e) => e.__typename === 'AlertRaised' && e.alert.window === window), { timeout: 20_000 }).toBe(true);
    await iterator.return?.();
    await reading;
    const closed = events.filter((e) => e.__typename === 'WindowClosed');
    expect(closed.length).toBe(closedBefore + 1);
    expect(closed.at(-1).window).toEqual({ index: window, inputDrift: 1 });
    expect(events.filter((e) => e.__typename === 'AlertRaised')).toEqual([
      { __typename: 'AlertRaised', alert: { metric: 'INPUT_DRIFT', window, value: 1, threshold: 0.99 } },
    ]);
    const d = await readDeployment(id);
    expect(d.alerts).toEqual([{ metric: 'INPUT_DRIFT', window, value: 1, threshold: 0.99 }]);
    await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id });
  });

  it('two concurrent predicts never close a window twice or skip one', async () => {
    const id = await deployAndWait(app.url, { runId, windowSize: 2 });
    const [a, b] = await Promise.all([
      predict(id, testUris.slice(0, 3).map((uri) => ({ uri }))),
      predict(id, testUris.slice(3, 6).map((uri) => ({ uri }))),
    ]);
    expect(a.errors ?? b.errors).toBeUndefined();
    const d = await readDeployment(id);
    expect(d.predictions.totalCount).toBe(6);
    expect(d.predictions.edges.map((e: { cursor: string }) => e.cursor)).toEqual(['5', '4', '3', '2', '1', '0']);
    expect(d.windows.map((w: { index: number; predictions: number }) => [w.index, w.predictions])).toEqual([[0, 2], [1, 2], [2, 2]]);
    await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id });
  });

  it('a MACRO_F1 rule fires when late truth arrives for a closed window, once', async () => {
    const id = await deployAndWait(app.url, { runId, windowSize: 2, alerts: [{ metric: 'MACRO_F1', below: 1.01 }] });
    const made = await predict(id, testUris.slice(0, 2).map((uri) => ({ uri })));
    expect((await readDeployment(id)).alerts).toEqual([]);
    const truths = made.data!.predict.map((p: { id: string }, i: number) => ({ predictionId: p.id, label: testLabels[i] }));
    for (let i = 0; i < 2; i++) await gqlOk(app.url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`, { id, t: truths });
    const d = await readDeployment(id);
    expect(d.alerts).toEqual([{ metric: 'MACRO_F1', window: 0, value: d.windows[0].evaluation.macroF1, threshold: 1.01 }]);
    await gqlOk(app.url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id });
  });
});
