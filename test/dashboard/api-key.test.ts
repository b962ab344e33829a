import { beforeAll, describe, expect, it } from 'vitest';
import { createRun, logEpoch, withKey } from '../support/testkit.js';
import { newPage, pageErrors, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/** With keys required, the dashboard follows the same rules as any client: a pasted key on HTTP and graphql-ws. */
const ctx = useDashboard({ authRequired: true });
let writeKey: string;

beforeAll(async () => {
  writeKey = (await ctx.app.services.apiKeys.create({ name: 'dashboard-test', scope: 'write' })).key;
});

describe('API keys in the dashboard', () => {
  it('asks for a key, then uses the pasted one over HTTP and graphql-ws', async () => {
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/runs`);
    await page.locator('.notice-error').getByText('needs an API key').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'api-key-needed');

    await page.getByText('API key', { exact: true }).click();
    await page.locator('input[name=apiKey]').fill(writeKey);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('No runs yet.').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => localStorage.getItem('epochal.apiKey'))).toBe(writeKey);

    // Live over graphql-ws: the subscription was authorized with connectionParams.
    const keyed = withKey(ctx.app, writeKey);
    const runId = await createRun(keyed, { name: 'keyed' });
    await waitFor(async () => (await page.locator(`tr[data-run-id="${runId}"]`).count()) === 1, 5_000, 'the new run in the live list');

    await page.goto(`${ctx.app.origin}/runs/${runId}`);
    await waitFor(async () => (await page.locator('[data-testid=live-state]').getAttribute('data-state')) === 'live', 10_000, 'the run page live with the key');
    await logEpoch(keyed, runId, { index: 0, loss: 0.5 });
    await waitFor(async () => (await page.locator('[data-testid=epochs] tr[data-index="0"]').count()) === 1, 2_000, 'the epoch, live');
    expect(pageErrors(page)).toEqual([]);
  });
});
