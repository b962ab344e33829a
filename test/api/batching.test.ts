import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DATASET_IMAGES, gqlOk } from '../support/graphql-client.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

const PAGE = `query($first: Int!) {
  runs(first: $first) {
    totalCount
    edges { node { id name dataset { id name labels imageCount classCounts { split label count } }
      epochs { phase index loss } metricKeys evaluation { accuracy perClass { label f1 } } artifacts { uri } notes { message } } }
  }
}`;

async function seed(runs: number) {
  for (let i = 0; i < runs; i++) {
    const dataset = await gqlOk(app.url, `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, {
      input: { name: `ds-${i}-${Math.random()}`, images: DATASET_IMAGES },
    });
    const { createRun } = await gqlOk(app.url, `mutation($d: ID!) { createRun(input: { name: "r", datasetId: $d }) { id } }`, { d: dataset.createDataset.id });
    await gqlOk(app.url, `mutation($id: ID!) { logEpoch(runId: $id, input: { index: 0, loss: 1 }) { index } }`, { id: createRun.id });
    await gqlOk(app.url, `mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 0, value: 1 }]) { accepted } }`, { id: createRun.id });
    await gqlOk(app.url, `mutation($id: ID!) { recordEvaluation(runId: $id, input: { labels: ["a", "b"], confusionMatrix: [[1, 0], [0, 1]] }) { accuracy } }`, { id: createRun.id });
  }
}

async function statementsFor(first: number): Promise<string[]> {
  app.statements.length = 0;
  const { runs } = await gqlOk(app.url, PAGE, { first });
  expect(runs.edges).toHaveLength(first);
  expect(runs.edges.every((e: { node: { dataset: { labels: string[] }; epochs: unknown[]; evaluation: unknown } }) =>
    e.node.dataset.labels.length === 2 && e.node.epochs.length === 1 && e.node.evaluation)).toBe(true);
  return [...app.statements];
}

describe('batching', () => {
  it('answers 50 runs with datasets, epochs, metric keys, evaluations, artifacts and notes in a constant number of statements', async () => {
    await seed(50);
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty.length).toBe(five.length);
    // page + count + one per kind of child: dataset, class counts, epochs, keys, evaluations, artifacts, notes.
    expect(fifty.length).toBeLessThanOrEqual(9);
  });
});
