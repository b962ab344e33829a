import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { createRun, finishRun, logEpoch, recordEvaluation } from '../support/testkit.js';
import { newPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/** The compare table and the confusion-matrix heatmap, checked against numbers worked out here by hand. */
const ctx = useDashboard();

const LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'];
// Rows: true label, columns: predicted. Shaped like the study's CNN and AutoML results.
const CNN = [
  [242, 2, 6, 0],
  [10, 228, 2, 10],
  [30, 1, 204, 15],
  [0, 3, 1, 246],
];
const AUTOML = [
  [238, 4, 8, 0],
  [3, 241, 1, 5],
  [22, 2, 219, 7],
  [1, 1, 2, 246],
];

/** Precision, recall and F1 per label, then their means (the "macro" row). */
function expectedRows(matrix: number[][]) {
  const rows = LABELS.map((label, i) => {
    const tp = matrix[i][i];
    const precision = tp / matrix.reduce((sum, row) => sum + row[i], 0);
    const recall = tp / matrix[i].reduce((a, b) => a + b, 0);
    return { label, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  return [...rows, { label: 'macro', precision: mean('precision'), recall: mean('recall'), f1: mean('f1') }];
}

/** Scores read as percentages with one decimal, everywhere (dashboard/src/dom.ts). */
const shown = (value: number) => `${(value * 100).toFixed(1)}%`;

async function runWithEvaluation(name: string, matrix: number[][]): Promise<string> {
  const runId = await createRun(ctx.app, { name, tags: ['study'] });
  for (let index = 0; index < 8; index++) {
    await logEpoch(ctx.app, runId, { index, valLoss: (name === 'vgg16' ? 1.1 : 0.9) / (1 + index * 0.6), valAccuracy: (name === 'vgg16' ? 0.6 : 0.65) + index * 0.035 });
  }
  await recordEvaluation(ctx.app, runId, { labels: LABELS, confusionMatrix: matrix });
  await finishRun(ctx.app, runId);
  return runId;
}

describe('evaluations in the dashboard', () => {
  it('compare table shows each run’s precision, recall and F1 per label, with the best of each row marked', async () => {
    const cnn = await runWithEvaluation('vgg16', CNN);
    const automl = await runWithEvaluation('automl', AUTOML);
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/compare?ids=${cnn},${automl}`);
    const table = page.locator('[data-testid=compare]');
    await table.waitFor({ timeout: 15_000 });

    const expected = { [cnn]: expectedRows(CNN), [automl]: expectedRows(AUTOML) };
    for (const label of [...LABELS, 'macro']) {
      const row = table.locator(`tbody tr[data-label="${label}"]`);
      for (const metric of ['precision', 'recall', 'f1'] as const) {
        const values = Object.fromEntries([cnn, automl].map((id) => [id, expected[id].find((r) => r.label === label)![metric]]));
        const bestValue = Math.max(...Object.values(values));
        for (const id of [cnn, automl]) {
          const cell = row.locator(`td[data-run="${id}"][data-metric="${metric}"]`);
          const text = (await cell.textContent())!.replace('★', '').trim();
          expect(text, `${label} ${metric} of ${id === cnn ? 'vgg16' : 'automl'}`).toBe(shown(values[id]));
          expect(await cell.getAttribute('data-best'), `best mark on ${label} ${metric}`).toBe(values[id] === bestValue ? '1' : '0');
        }
      }
    }
    // Spot check by hand: DRUSEN recall of the CNN is 204/250.
    expect((await table.locator(`tr[data-label=DRUSEN] td[data-run="${cnn}"][data-metric=recall]`).textContent())?.trim()).toBe('81.6%');
    await waitFor(async () => Number(await page.locator('figure[data-chart="Validation loss per epoch"]').getAttribute('data-points')) === 16, 5_000, 'both runs’ curves');
    await screenshot(page, 'compare');

    expect(await phoneOverflow(page, 'compare-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });

  it('heatmap cells match the stored confusion matrix', async () => {
    const runId = await runWithEvaluation('heatmap', CNN);
    const stored = (await gqlOk(ctx.app.url, `query ($id: ID!) { run(id: $id) { evaluation { labels confusionMatrix } } }`, { id: runId })).run.evaluation;
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/runs/${runId}`);
    const heatmap = page.locator('[data-testid=confusion-matrix]');
    await heatmap.waitFor({ timeout: 15_000 });

    expect(await heatmap.locator('thead th[scope=col]').allTextContents()).toEqual(stored.labels);
    expect(await heatmap.locator('tbody th[scope=row]').allTextContents()).toEqual(stored.labels);
    const cells = await heatmap.locator('tbody td').evaluateAll((tds) => tds.map((td) => ({
      row: Number((td as HTMLElement).dataset.row), col: Number((td as HTMLElement).dataset.col), text: td.textContent,
    })));
    expect(cells).toHaveLength(16);
    for (const cell of cells) expect(cell.text, `cell ${cell.row},${cell.col}`).toBe(String(stored.confusionMatrix[cell.row][cell.col]));
    expect(stored.confusionMatrix).toEqual(CNN);
    // The per-class table beside it: NORMAL recall 246/250.
    expect(await page.locator('[data-testid=per-class] tbody tr').nth(3).locator('td').nth(1).textContent()).toBe('98.4%');
    await page.locator('#evaluation').scrollIntoViewIfNeeded();
    await screenshot(page, 'run-page-evaluation');
    expect(pageErrors(page)).toEqual([]);
  });
});
