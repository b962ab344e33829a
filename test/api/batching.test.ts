import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { gqlOk } from '../support/graphql-client.js';
import { createDataset, createRun, logEpoch, logMetrics, recordEvaluation } from '../support/testkit.js';

const app = useTestApp();

const PAGE = `query($first: Int!) {
  runs(first: $first) {
    totalCount
    edges { node { id name dataset { id name labels imageCount classCounts { split label count } }
      epochs { phase index loss } metricKeys evaluation { accuracy perClass { label f1 } } artifacts { uri } notes { message } } }
  }
}`;

async function seed(runs: number) {
  for (let i = 0; i < runs; i++) {
    const datasetId = await createDataset(app, { name: `ds-${i}-${Math.random()}` });
    const runId = await createRun(app, { name: 'r', datasetId });
    await logEpoch(app, runId, { index: 0, loss: 1 });
    await logMetrics(app, runId, [{ key: 'loss', step: 0, value: 1 }]);
    await recordEvaluation(app, runId, { labels: ['a', 'b'], confusionMatrix: [[1, 0], [0, 1]] });
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
