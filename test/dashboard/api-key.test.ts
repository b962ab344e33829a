import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { gql } from '../support/graphql-client.js';
import { launchChromium, newPage, pageErrors, screenshot, startDashboardApp, waitFor, type DashboardApp } from './dashboard-app.js';

/** With keys required, the dashboard follows the same rules as any client: a pasted key on HTTP and graphql-ws. */
let app: DashboardApp;
let browser: Browser;
let writeKey: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startDashboardApp({ authRequired: true }), launchChromium()]);
  writeKey = (await app.services.apiKeys.create({ name: 'dashboard-test', scope: 'write' })).key;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const withKey = (query: string, variables?: Record<string, unknown>) => gql(app.url, query, variables, { authorization: `Bearer ${writeKey}` });

describe('API keys in the dashboard', () => {
  it('asks for a key, then uses the pasted one over HTTP and graphql-ws', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.origin}/runs`);
    await page.locator('.notice-error').getByText('needs an API key').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'api-key-needed');

    await page.getByText('API key', { exact: true }).click();
    await page.locator('input[name=apiKey]').fill(writeKey);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('No runs yet.').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => localStorage.getItem('epochal.apiKey'))).toBe(writeKey);

    // Live over graphql-ws: the subscription was authorized with connectionParams.
    const created = await withKey(`mutation { createRun(input: { name: "keyed" }) { id } }`);
    const runId = created.data.createRun.id as string;
    await waitFor(async () => (await page.locator(`tr[data-run-id="${runId}"]`).count()) === 1, 5_000, 'the new run in the live list');

    await page.goto(`${app.origin}/runs/${runId}`);
    await waitFor(async () => (await page.locator('[data-testid=live-state]').getAttribute('data-state')) === 'live', 10_000, 'the run page live with the key');
    await withKey(`mutation ($id: ID!) { logEpoch(runId: $id, input: { index: 0, loss: 0.5 }) { index } }`, { id: runId });
    await waitFor(async () => (await page.locator('[data-testid=epochs] tr[data-index="0"]').count()) === 1, 2_000, 'the epoch, live');
    expect(pageErrors(page)).toEqual([]);
  });
});
