import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { isLive, newPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/**
 * The study page in Chromium, on studies the app's in-process worker really trains (tiny: 24 px,
 * one epoch of a small CNN): the curve and its table, the arms' runs reaching their end live, the
 * minimal size for a typed target, per-label curves on demand, the robustness table, the list.
 */
const ctx = useDashboard({ inProcessWorker: true });
const TINY = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, epochs: 1, fineTuneEpochs: 0, augment: false };
const CURVE = /* GraphQL */ `query($id: ID!) { study(id: $id) { status arms { name runs { id } dataset { classCounts { split count } } }
  curve { arm trainImages runs mean low high } } }`;

async function dataset(name: string): Promise<string> {
  const data = await gqlOk(ctx.app.url, `mutation($name: String!) { generateSyntheticDataset(input: { name: $name, imagesPerLabel: 16, imageSize: 24, seed: 4 }) { id } }`, { name });
  return data.generateSyntheticDataset.id;
}

const fixed3 = (v: number) => String(Number(v.toFixed(3)));

describe('study page', () => {
  it('shows the learning curve, the runs reaching their end live, and the minimal size for a typed target', async () => {
    const datasetId = await dataset('study-page-oct');
    const { startLearningCurve } = await gqlOk(ctx.app.url, `mutation($input: LearningCurveInput!) { startLearningCurve(input: $input) { id } }`, {
      input: { name: 'page curve', datasetId, trainer: 'TFJS', fractions: [0.5, 1], seeds: [1, 2], tfjs: TINY },
    });
    const id: string = startLearningCurve.id;
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/studies`);
    await page.locator(`[data-testid=studies] tr[data-study-id="${id}"] a`).click();
    await waitFor(() => page.url().endsWith(`/studies/${id}`), 10_000, 'the study page');
    await waitFor(async () => (await page.locator('[data-testid=study-runs] tbody tr').count()) === 4, 15_000, 'the four runs');

    // Without a reload: the runs and the study end as the worker trains them (studyEvents).
    await waitFor(async () => (await page.locator('[data-testid=study-status] .badge').getAttribute('data-status')) === 'SUCCEEDED', 120_000, 'the study SUCCEEDED, live');
    await waitFor(async () => (await page.locator('[data-testid=study-runs] .run-status .badge[data-status=SUCCEEDED]').count()) === 4, 10_000, 'every run SUCCEEDED');
    const { study } = await gqlOk(ctx.app.url, CURVE, { id });
    const expected = study.curve.map((p: { arm: string; trainImages: number; mean: number; low: number; high: number }) =>
      [p.arm, String(p.trainImages), '2', fixed3(p.mean), `${fixed3(p.low)} – ${fixed3(p.high)}`].join('|'));
    const shown = async () => (await page.locator('[data-testid=curve] tbody tr').evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent).filter((_, i) => i !== 4).join('|'))));
    await waitFor(async () => JSON.stringify(await shown()) === JSON.stringify(expected), 10_000, `the curve table to show ${expected.join(', ')}`);
    // Mean, high, low and the target line at both arms.
    const chart = page.locator('figure[data-chart="Macro-F1 on TEST"]');
    expect(await chart.getAttribute('data-points')).toBe('8');

    // Per-label F1 on demand: one more line of two points.
    await page.locator('[data-testid=label-curves] input').first().check();
    await waitFor(async () => (await chart.getAttribute('data-points')) === '10', 10_000, 'a per-label line');

    // The minimal size: a target every arm's interval reaches names the smaller arm's TRAIN count; an
    // unreachable one says so. (Two seeds give wide t intervals: the lowest low end can be below -1.)
    const smaller = study.curve[0].trainImages;
    const reachedByAll = Math.floor(Math.min(...study.curve.map((p: { low: number }) => p.low)) * 1000) / 1000;
    const minimal = page.locator('[data-testid=minimal-size]');
    await page.locator('input[name=target]').fill(String(reachedByAll));
    await page.locator('input[name=target]').press('Enter');
    await waitFor(async () => (await minimal.getAttribute('data-size')) === String(smaller), 10_000, 'the minimal size');
    expect(await minimal.textContent()).toContain(`${smaller} TRAIN images (50%)`);
    await page.locator('input[name=target]').fill('2');
    await page.locator('input[name=target]').press('Enter');
    await waitFor(async () => (await minimal.textContent())?.startsWith('No arm') ?? false, 10_000, 'no arm reaches 2');

    await page.locator('input[name=target]').fill('0.5');
    await page.locator('input[name=target]').press('Enter');
    await screenshot(page, 'study-page');
    expect(await phoneOverflow(page, 'study-page-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  }, 300_000);

  it('shows a robustness study as arms × per-label F1 with the drop from the baseline', async () => {
    const datasetId = await dataset('study-page-robust');
    const { startRobustnessStudy } = await gqlOk(ctx.app.url, `mutation($input: RobustnessStudyInput!) { startRobustnessStudy(input: $input) { id } }`, {
      input: { name: 'page robustness', datasetId, trainer: 'TFJS', seeds: [5], tfjs: TINY, variants: [{ parentId: '', corruption: { kind: 'GAUSSIAN_NOISE', severity: 5 } }] },
    });
    const id: string = startRobustnessStudy.id;
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/studies/${id}`);
    await waitFor(async () => (await page.locator('[data-testid=study-status] .badge').getAttribute('data-status')) === 'SUCCEEDED', 120_000, 'the study SUCCEEDED, live');
    const { study } = await gqlOk(ctx.app.url, CURVE, { id });
    const noisyRow = page.locator('[data-testid=robustness] tr[data-arm="gaussian noise 5"]');
    await waitFor(async () => (await noisyRow.count()) === 1, 10_000, 'the robustness table');
    const { labels } = (await gqlOk(ctx.app.url, `query($id: ID!) { dataset(id: $id) { labels } }`, { id: datasetId })).dataset;
    const headers = await page.locator('[data-testid=robustness] thead th').allTextContents();
    expect(headers).toEqual(['Arm', 'macro-F1', ...labels.map((l: string) => `F1 ${l}`)]);
    // The macro-F1 column's drop is the two arms' means apart, as the API has them.
    const drop = study.curve[1].mean - study.curve[0].mean;
    const shownDrop = noisyRow.locator('td').nth(1);
    await waitFor(async () => (await shownDrop.getAttribute('data-drop')) !== null, 10_000, 'the drop, once both arms have a mean');
    expect(Number(await shownDrop.getAttribute('data-drop'))).toBeCloseTo(drop, 6);
    expect(await shownDrop.textContent()).toContain(`(${drop >= 0 ? '+' : '−'}${Math.abs(drop).toFixed(3)})`);
    expect(await page.locator('[data-testid=study-runs] tbody tr').count()).toBe(2); // the baseline's run, listed under both arms
    expect(await isLive(page)).toBe(false); // the stream ended with the study
    expect(pageErrors(page)).toEqual([]);
  }, 300_000);
});
