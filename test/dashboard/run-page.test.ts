import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createRun, logEpoch, logMetrics, metricPoints } from '../support/testkit.js';
import { cuttableSockets, isLive, newPage, openRunPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/**
 * The run page in a real browser: live epochs, a reload mid-run, and a dropped
 * WebSocket, each checked against what was logged through the API.
 */
const ctx = useDashboard();

/** Tags and a config, for the page to show. */
const RUN = { tags: ['browser'], config: { optimizer: 'adam', lr: 0.001 } };

/** Epoch `index` of a run that improves as it goes. */
const epochAt = (index: number) =>
  ({ index, loss: 1 / (index + 1), accuracy: 0.5 + index * 0.04, valLoss: 1.2 / (index + 1), valAccuracy: 0.45 + index * 0.04, learningRate: 0.001, durationMs: 1200 });

/** `count` batch_loss points from step `fromStep`, falling with a wiggle. */
const batchLoss = (fromStep: number, count: number) => metricPoints('batch_loss', fromStep, count, (step) => 2 * Math.exp(-step / 200) + 0.05 * Math.sin(step));

const chartPoints = (page: Page, key: string) =>
  page.locator(`figure[data-metric="${key}"]`).getAttribute('data-points', { timeout: 1000 }).then(Number).catch(() => 0);
const epochRows = (page: Page) => page.locator('[data-testid=epochs] tbody tr[data-index]').count();
const openRun = (page: Page, runId: string) => openRunPage(page, ctx.app, runId);

describe('run page', () => {
  it('shows a new epoch logged through the API within 2 s', async () => {
    const runId = await createRun(ctx.app, { name: 'live-epochs', ...RUN });
    await logEpoch(ctx.app, runId, epochAt(0));
    await logEpoch(ctx.app, runId, epochAt(1));
    await logMetrics(ctx.app, runId, batchLoss(0, 120));
    const page = await newPage(ctx.browser);
    await openRun(page, runId);
    await waitFor(async () => (await epochRows(page)) === 2, 5_000, 'the two stored epochs');

    await logEpoch(ctx.app, runId, epochAt(2));
    const elapsed = await waitFor(async () => (await page.locator('[data-testid=epochs] tr[data-index="2"]').count()) === 1, 2_000, 'epoch 3 in the epochs table');
    const lossChart = page.locator('figure[data-chart="Loss per epoch"]');
    await waitFor(async () => (await lossChart.getAttribute('data-points')) === '6', 2_000, 'the loss chart to draw epoch 3 (train and val)');
    expect(elapsed).toBeLessThan(2_000);
    expect(await page.locator('[data-testid=epochs] tr[data-index="2"] td').nth(2).textContent()).toBe('0.333');
    expect(await chartPoints(page, 'batch_loss')).toBe(120);
    expect(await page.locator('[data-testid=config]').textContent()).toContain('"optimizer": "adam"');
    await screenshot(page, 'run-page-live-epoch');

    expect(await phoneOverflow(page, 'run-page-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows every point after a reload in the middle of a run', async () => {
    const runId = await createRun(ctx.app, { name: 'reload-mid-run', ...RUN });
    const page = await newPage(ctx.browser);
    await openRun(page, runId);
    let step = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      await logMetrics(ctx.app, runId, batchLoss(step, 100));
      step += 100;
      await logEpoch(ctx.app, runId, epochAt(epoch));
    }
    await page.reload();
    // Points keep arriving while the page loads and subscribes.
    for (let epoch = 3; epoch < 6; epoch++) {
      await logMetrics(ctx.app, runId, batchLoss(step, 100));
      step += 100;
      await logEpoch(ctx.app, runId, epochAt(epoch));
    }
    await waitFor(() => isLive(page), 15_000, 'the reloaded page to go live');
    await logMetrics(ctx.app, runId, batchLoss(step, 50));
    step += 50;
    await waitFor(async () => (await chartPoints(page, 'batch_loss')) === step, 10_000, `all ${step} batch_loss points on the chart`);
    await waitFor(async () => (await epochRows(page)) === 6, 5_000, 'six epochs in the table');
    expect(await page.locator('figure[data-metric=batch_loss] [data-testid=chart-caption]').textContent()).toBe(`${step} points`);
    await screenshot(page, 'run-page-after-reload');
    expect(pageErrors(page)).toEqual([]);
  });

  it('resumes after a dropped connection with no gap', async () => {
    const runId = await createRun(ctx.app, { name: 'dropped-connection', ...RUN });
    await logMetrics(ctx.app, runId, batchLoss(0, 50));
    const page = await newPage(ctx.browser);
    const cutSockets = await cuttableSockets(page);
    await openRun(page, runId);
    await waitFor(async () => (await chartPoints(page, 'batch_loss')) === 50, 5_000, 'the first 50 points');

    await cutSockets();
    await waitFor(async () => (await page.locator('[data-testid=live-state]').getAttribute('data-state')) === 'reconnecting', 5_000, 'the page to notice the drop');
    // Written while the page is disconnected: only afterStep brings them back.
    await logMetrics(ctx.app, runId, batchLoss(50, 150));
    await logEpoch(ctx.app, runId, epochAt(0));
    await waitFor(() => isLive(page), 15_000, 'the page to reconnect');
    await logMetrics(ctx.app, runId, batchLoss(200, 25));
    await waitFor(async () => (await chartPoints(page, 'batch_loss')) === 225, 10_000, 'all 225 points after the reconnect');
    expect(await epochRows(page)).toBe(1);
    await screenshot(page, 'run-page-after-reconnect');
    expect(pageErrors(page)).toEqual([]);
  });
});
