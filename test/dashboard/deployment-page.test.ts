import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { brightenedTestUris, deployAndWait, PREDICT, trainTinyRun } from '../deployments/support.js';
import { isLive, newPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/**
 * The deployment page: "Deploy" on a SUCCEEDED run's page, then status,
 * window charts with alert thresholds drawn, alerts arriving live, recent
 * predictions, and the link back to the run.
 */
const ctx = useDashboard({ inProcessWorker: true });

describe('deployment page', () => {
  it('deploys from the run page, then shows windows, thresholds and alerts live', async () => {
    const { runId, datasetId } = await trainTinyRun(ctx.app.url, 'dashboard-deploy');
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/runs/${runId}`);
    await page.locator('[data-testid=deploy]').click();
    await waitFor(() => /\/deployments\/[0-9a-f-]{36}$/.test(page.url()), 10_000, 'the deployment page');
    await waitFor(async () => (await page.locator('[data-testid=deployment-status] .badge').getAttribute('data-status')) === 'ACTIVE', 30_000, 'ACTIVE, live');
    expect(await page.locator('.crumbs a').getAttribute('href')).toBe(`/runs/${runId}`);

    // A second deployment with an alert rule: its page draws the threshold and gets the alert live.
    const id = await deployAndWait(ctx.app.url, { runId, name: 'drift watch', windowSize: 2, alerts: [{ metric: 'INPUT_DRIFT', above: 0.99 }] });
    await page.goto(`${ctx.app.origin}/deployments/${id}`);
    await waitFor(() => isLive(page), 15_000, 'the page to go live');
    const driftChart = page.locator('figure[data-chart^="Input drift"]');
    expect(await driftChart.textContent()).toContain('alert > 0.99');
    expect(await driftChart.getAttribute('data-points')).toBe('0');

    const { dataset } = await gqlOk(ctx.app.url, `query ($id: ID!) { dataset(id: $id) { images(split: TEST, first: 4) { uri } } }`, { id: datasetId });
    const uris: string[] = dataset.images.map((i: { uri: string }) => i.uri);
    await gqlOk(ctx.app.url, PREDICT, { id, images: uris.slice(0, 2).map((uri) => ({ uri })) });
    const drifted = await brightenedTestUris(ctx.app.url, datasetId, 2);
    await gqlOk(ctx.app.url, PREDICT, { id, images: drifted.map((uri) => ({ uri })) });

    // Two windows closed: each drawn with its threshold point (value + threshold = 2 points per window).
    await waitFor(async () => (await driftChart.getAttribute('data-points')) === '4', 10_000, 'both windows on the chart, live');
    await waitFor(async () => (await page.locator('[data-testid=alerts] li.alert-row').count()) === 1, 10_000, 'the alert, live');
    expect(await page.locator('[data-testid=alerts] li.alert-row').textContent()).toMatch(/INPUT_DRIFT in window 1: 1(\.0+)? \(threshold 0\.99/);

    await page.reload();
    await waitFor(() => isLive(page), 15_000, 'live again after a reload');
    expect(await page.locator('[data-testid=predictions] tbody tr').count()).toBe(4);
    expect(await page.locator('[data-testid=running-cost]').textContent()).toMatch(/none/);
    await screenshot(page, 'deployment-page');
    expect(await phoneOverflow(page, 'deployment-page-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
