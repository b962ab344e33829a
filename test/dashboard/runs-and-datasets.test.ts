import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { createRun, finishRun, logEpoch, makeDataset } from '../support/testkit.js';
import { newPage, pageErrors, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/** The runs list (live status, filters, empty states, start and cancel) and the datasets page. */
const ctx = useDashboard();

const rowStatus = (page: import('playwright-core').Page, runId: string) =>
  page.locator(`[data-testid=runs] tr[data-run-id="${runId}"]`).getAttribute('data-status', { timeout: 500 }).catch(() => null);

describe('runs list', () => {
  it('says what to do when there are no runs, then shows new runs and status changes without a reload', async () => {
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/`);
    await page.getByText('No runs yet.').waitFor({ timeout: 15_000 });
    expect(await page.locator('.notice-empty').textContent()).toContain('start_run');
    await screenshot(page, 'runs-empty');

    const runId = await createRun(ctx.app, { name: 'external-1', tags: ['study'] });
    await waitFor(async () => (await rowStatus(page, runId)) === 'RUNNING', 5_000, 'the new run in the list');
    await logEpoch(ctx.app, runId, { index: 0, valLoss: 0.42, valAccuracy: 0.87 });
    await finishRun(ctx.app, runId);
    await waitFor(async () => (await rowStatus(page, runId)) === 'SUCCEEDED', 5_000, 'the status change in the list');
    await waitFor(async () => (await page.locator(`tr[data-run-id="${runId}"]`).textContent())?.includes('87.0%') ?? false, 5_000, 'the best val accuracy');
    expect(await page.locator(`tr[data-run-id="${runId}"]`).textContent()).toContain('0.42');

    // Filters live in the URL; a filter that matches nothing says how to get back.
    await page.locator('select[name=status]').selectOption('FAILED');
    await page.getByText('No run matches these filters.').waitFor({ timeout: 5_000 });
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await waitFor(async () => (await rowStatus(page, runId)) === 'SUCCEEDED', 5_000, 'the run back after clearing filters');
    expect(pageErrors(page)).toEqual([]);
  });

  it('starts a training from the form, opens its page, and cancels it', async () => {
    const dataset = await makeDataset(ctx.app, { name: 'oct-mini', imagesPerLabel: 4, imageSize: 32 });
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/runs`);
    await page.getByText('Start a training').click();
    await page.locator('input[name=name]').fill('small-cnn-from-form');
    await page.locator('select[name=datasetId]').selectOption(dataset.id);
    await page.locator('select[name=architecture]').selectOption('SMALL_CNN');
    await page.locator('input[name=imageSize]').fill('32');
    await page.locator('input[name=epochs]').fill('2');
    await page.locator('input[name=fineTuneEpochs]').fill('0');
    await screenshot(page, 'runs-start-form');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const runId = page.url().split('/').pop()!;
    const { run } = await gqlOk(ctx.app.url, `query ($id: ID!) { run(id: $id) { name status trainer config } }`, { id: runId });
    expect(run).toMatchObject({ name: 'small-cnn-from-form', status: 'QUEUED', trainer: 'TFJS', config: { tfjs: { architecture: 'SMALL_CNN', imageSize: 32, epochs: 2, fineTuneEpochs: 0 } } });
    await page.locator('[data-testid=config]').getByText('"SMALL_CNN"').waitFor({ timeout: 5_000 });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('h1 .badge[data-status=CANCELLED]').waitFor({ timeout: 5_000 });
    expect(await page.getByRole('button', { name: 'Cancel run' }).isHidden()).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('datasets page', () => {
  it('shows class balance per split as bars and thumbnails per class', async () => {
    const dataset = await makeDataset(ctx.app, { name: 'oct-thumbs', imagesPerLabel: 6, imageSize: 64, seed: 3 });
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/datasets#${dataset.id}`);
    const card = page.locator(`details[data-dataset-id="${dataset.id}"]`);
    await card.locator('.bar-row').first().waitFor({ timeout: 15_000 });
    for (const { split, label, count } of dataset.classCounts) {
      expect(await card.locator(`.bar-row[data-split=${split}][data-label=${label}] .bar-count`).textContent()).toBe(String(count));
    }
    // Up to 4 per class; the TRAIN split follows OCT2017's class ratio, so small classes may have fewer.
    const perLabel = new Map<string, number>();
    for (const c of dataset.classCounts as { label: string; count: number }[]) perLabel.set(c.label, (perLabel.get(c.label) ?? 0) + c.count);
    const expected = [...perLabel.values()].reduce((sum, n) => sum + Math.min(4, n), 0);
    expect(perLabel.size).toBe(4);
    await waitFor(() => card.locator('.thumb img').evaluateAll((imgs, n) => imgs.length === n && imgs.every((img) => (img as HTMLImageElement).naturalWidth === 64), expected),
      10_000, `${expected} thumbnails, up to 4 for each of the 4 classes`);
    await screenshot(page, 'datasets');
    expect(pageErrors(page)).toEqual([]);
  });
});
