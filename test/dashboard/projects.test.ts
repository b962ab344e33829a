import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { newPage, openRunPage, pageErrors, useDashboard, waitFor } from './dashboard-app.js';

/** The runs list switches projects; a run logged through the MLflow API shows like any other. */
const ctx = useDashboard();

const post = (path: string, body: unknown) =>
  fetch(`${ctx.app.origin}/api/2.0/mlflow${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

describe('projects in the dashboard', () => {
  it('lists only the chosen project\'s runs, and shows an MLflow run with its curve', async () => {
    await gqlOk(ctx.app.url, `mutation { createRun(input: { name: "in-default" }) { id } }`);
    const { experiment_id } = await post('/experiments/create', { name: 'mlflow-project' });
    const { run } = await post('/runs/create', { experiment_id, run_name: 'from-mlflow' });
    const runId = run.info.run_id;
    await post('/runs/log-batch', { run_id: runId, metrics: [0, 1, 2].map((step) => ({ key: 'val_loss', value: 1 / (step + 1), timestamp: Date.now(), step })) });

    const page = await newPage(ctx.browser);
    const errors = pageErrors(page);
    await page.goto(`${ctx.app.origin}/runs`);
    const names = () => page.locator('[data-testid=runs] tr[data-run-id]').evaluateAll((rows) => rows.map((r) => r.querySelector('a')?.textContent ?? ''));
    await waitFor(async () => (await names()).length === 2, 10_000, 'both runs in the list');
    await page.locator('select[name=project]').selectOption('mlflow-project');
    await waitFor(async () => JSON.stringify(await names()) === JSON.stringify(['from-mlflow']), 10_000, 'only the MLflow project\'s run');
    expect(page.url()).toContain('project=mlflow-project');

    await openRunPage(page, ctx.app, runId);
    await waitFor(async () => Number(await page.locator('figure[data-metric="val_loss"]').getAttribute('data-points', { timeout: 1000 }).catch(() => 0)) === 3, 10_000, 'the val_loss curve');
    expect(errors).toEqual([]);
  });
});
