import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlOk, gqlOverWebSocket } from '../support/graphql-client.js';
import { MAX_SERIES_POINTS } from '../../src/metrics/metric.service.js';
import { MAX_IMAGES_PAGE } from '../../src/datasets/dataset.service.js';
import { MAX_PAGE_SIZE } from '../../src/runs/run.service.js';

let app: TestApp;
let runId: string;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp();
  runId = (await gqlOk(app.url, `mutation { createRun(input: { name: "cost" }) { id } }`)).createRun.id;
  await gqlOk(app.url, `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`, {
    id: runId, p: Array.from({ length: 10 }, (_, step) => ({ key: 'loss', step, value: 1 / (step + 1) })),
  });
  const images = Array.from({ length: MAX_IMAGES_PAGE }, (_, i) => ({ uri: `/data/${i}.png`, label: i % 2 ? 'A' : 'B', split: 'TRAIN', contentHash: `h${i}` }));
  datasetId = (await gqlOk(app.url, `mutation($images: [ImageInput!]!) { createDataset(input: { name: "page", images: $images }) { id } }`, { images })).createDataset.id;
});
afterAll(() => app?.stop());

const costError = (result: { errors?: { message: string }[] }) => result.errors?.find((e) => /cost/i.test(e.message));

describe('operation cost bounds the response size', () => {
  it('refuses 15 aliases of metric(maxPoints: 100000), written out or passed as a variable, on HTTP and WebSocket', async () => {
    const literal = `query($id: ID!) { run(id: $id) { ${Array.from({ length: 15 }, (_, i) => `m${i}: metric(key: "loss", maxPoints: ${MAX_SERIES_POINTS}) { points { step value } }`).join(' ')} } }`;
    const variable = `query($id: ID!, $n: Int) { run(id: $id) { ${Array.from({ length: 15 }, (_, i) => `m${i}: metric(key: "loss", maxPoints: $n) { points { step value } }`).join(' ')} } }`;
    for (const [query, variables] of [[literal, { id: runId }], [variable, { id: runId, n: MAX_SERIES_POINTS }]] as const) {
      const http = await gql(app.url, query, variables);
      expect(http.status).toBe(400);
      expect(costError(http), JSON.stringify(http).slice(0, 300)).toBeTruthy();
      expect(http.data ?? null).toBeNull();
      const ws = await gqlOverWebSocket(app.url, query, variables);
      expect(costError(ws), JSON.stringify(ws).slice(0, 300)).toBeTruthy();
    }
  });

  it('refuses two full-resolution series in one operation, and lets one through', async () => {
    const series = (n: number) => `query($id: ID!) { run(id: $id) { ${Array.from({ length: n }, (_, i) => `m${i}: metric(key: "loss", maxPoints: ${MAX_SERIES_POINTS}) { key totalPoints downsampled points { step value } }`).join(' ')} } }`;
    expect(costError(await gql(app.url, series(2), { id: runId }))).toBeTruthy();
    const one = await gql(app.url, series(1), { id: runId });
    expect(one.errors).toBeUndefined();
    expect(one.data.run.m0.points).toHaveLength(10);
  });
});

describe('documented maximum pages pass the cost limit', () => {
  it(`Dataset.images(first: ${MAX_IMAGES_PAGE}) with every field`, async () => {
    const result = await gql(app.url, `query($id: ID!) { dataset(id: $id) { images(first: ${MAX_IMAGES_PAGE}) { uri label split contentHash } } }`, { id: datasetId });
    expect(result.errors).toBeUndefined();
    expect(result.data.dataset.images).toHaveLength(MAX_IMAGES_PAGE);
  });

  it(`runs(first: ${MAX_PAGE_SIZE}) with a run's summary`, async () => {
    const result = await gql(app.url, `{ runs(first: ${MAX_PAGE_SIZE}) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node { id name status tags createdAt metricKeys epochs { phase index loss accuracy valLoss valAccuracy } evaluation { accuracy perClass { label precision recall f1 support } } } } } }`);
    expect(result.errors).toBeUndefined();
  });
});
