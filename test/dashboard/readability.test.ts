import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { gqlOk } from '../support/graphql-client.js';
import { newPage, openRunPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/**
 * The dashboard as a researcher reads it: single points visible, learning
 * rates on a log axis, whole epochs, colours told apart (also by colour-blind
 * readers), wide tables kept inside their cards, warnings where numbers are not
 * comparable, and trainers this server lacks disabled with the reason.
 */
const ctx = useDashboard();

async function createRun(name: string, datasetId: string | null = null): Promise<string> {
  const { createRun } = await gqlOk(ctx.app.url, `mutation ($input: CreateRunInput!) { createRun(input: $input) { id } }`, { input: { name, datasetId } });
  return createRun.id;
}
async function logEpoch(runId: string, index: number, fields: Record<string, number>) {
  await gqlOk(ctx.app.url, `mutation ($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { index } }`, {
    runId, input: { phase: 'train', index, ...fields },
  });
}
async function recordEvaluation(runId: string, matrix: number[][]) {
  await gqlOk(ctx.app.url, `mutation ($id: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $id, input: $input) { accuracy } }`, {
    id: runId, input: { labels: ['CNV', 'DME', 'DRUSEN', 'NORMAL'], confusionMatrix: matrix },
  });
}
async function syntheticDataset(name: string, seed: number): Promise<string> {
  const data = await gqlOk(ctx.app.url, `mutation ($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id } }`,
    { input: { name, imagesPerLabel: 5, imageSize: 24, seed } });
  return data.generateSyntheticDataset.id;
}

const figure = (page: Page, title: string) => page.locator(`figure[data-chart="${title}"]`);

/** How many canvas pixels of a chart are close to `hex`: a drawn marker or line leaves some. */
async function pixelsOfColour(page: Page, selector: string, hex: string): Promise<number> {
  return page.locator(`${selector} canvas`).evaluate((canvas: HTMLCanvasElement, colour: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) count++;
    return count;
  }, hex);
}

// CIELAB distance, and Machado et al. (2009) simulations of full colour-vision deficiencies.
const toLinear = (c: number) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
const toSrgb = (c: number) => 255 * (Math.min(1, Math.max(0, c)) <= 0.0031308 ? 12.92 * Math.max(0, c) : 1.055 * Math.min(1, c) ** (1 / 2.4) - 0.055);
const DEFICIENCIES: Record<string, number[][]> = {
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
function simulate(rgb: number[], matrix: number[][] | null): number[] {
  if (!matrix) return rgb;
  const lin = rgb.map(toLinear);
  return matrix.map((row) => toSrgb(row.reduce((sum, m, j) => sum + m * lin[j], 0)));
}
function lab(rgb: number[]): number[] {
  const [r, g, b] = rgb.map(toLinear);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const [x, y, z] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const parseRgb = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number);

describe('charts', () => {
  it('draws a one-point series with a marker and says "1 point" / "1 epoch"', async () => {
    const runId = await createRun('one point');
    await logEpoch(runId, 0, { loss: 0.9, valLoss: 1.1 });
    await gqlOk(ctx.app.url, `mutation ($runId: ID!) { logMetrics(runId: $runId, points: [{ key: "grad_norm", step: 5, value: 2.5 }]) { accepted } }`, { runId });
    const page = await newPage(ctx.browser);
    await openRunPage(page, ctx.app, runId);
    const metric = page.locator('figure[data-metric=grad_norm]');
    await waitFor(async () => (await metric.getAttribute('data-points')) === '1', 10_000, 'the one-point metric chart');
    expect(await metric.locator('[data-testid=chart-caption]').textContent()).toBe('1 point');
    await waitFor(async () => (await figure(page, 'Loss per epoch').getAttribute('data-points')) === '2', 5_000, 'the loss chart');
    expect(await figure(page, 'Loss per epoch').locator('[data-testid=chart-caption]').textContent()).toBe('1 epoch');
    const colour = (await metric.getAttribute('data-colors'))!;
    expect(await pixelsOfColour(page, 'figure[data-metric=grad_norm]', colour), 'a marker for the single point').toBeGreaterThan(10);
    // One epoch: whole-number ticks around it, none fractional.
    const xTicks = (await figure(page, 'Loss per epoch').getAttribute('data-x-ticks'))!.split(' ');
    expect(xTicks).toContain('1');
    expect(xTicks.every((t) => Number.isInteger(Number(t)))).toBe(true);
    await screenshot(page, 'one-point');
    expect(pageErrors(page)).toEqual([]);
  });

  it('puts learning rates on a log axis, with a toggle, and epochs on whole-number ticks from 1', async () => {
    const runId = await createRun('decaying lr');
    const rates = [1e-3, 1e-3, 1e-4, 1e-4, 1e-5, 1e-5, 1e-5];
    for (const [index, learningRate] of rates.entries()) await logEpoch(runId, index, { loss: 1 / (index + 1), learningRate });
    const page = await newPage(ctx.browser);
    await openRunPage(page, ctx.app, runId);
    const lr = figure(page, 'Learning rate per epoch');
    await waitFor(async () => (await lr.getAttribute('data-points')) === String(rates.length), 10_000, 'the learning-rate chart');
    expect(await lr.getAttribute('data-scale')).toBe('log');
    await waitFor(async () => (await lr.getAttribute('data-y-ticks')) !== null, 2_000, 'the y axis drawn');
    const logTicks = (await lr.getAttribute('data-y-ticks'))!.split(' ');
    for (const decade of ['1e-5', '1e-4', '1e-3']) expect(logTicks, 'each decade has its own tick').toContain(decade);

    await lr.locator('[data-testid=log-toggle]').click();
    await waitFor(async () => (await lr.getAttribute('data-scale')) === 'linear', 2_000, 'the linear scale');
    await waitFor(async () => (await lr.getAttribute('data-y-ticks'))?.split(' ').includes('0') ?? false, 2_000, 'a linear axis from 0');
    // Every chart has the toggle.
    expect(await page.locator('figure.chart [data-testid=log-toggle]').count()).toBe(await page.locator('figure.chart').count());

    const xTicks = (await figure(page, 'Loss per epoch').getAttribute('data-x-ticks'))!.split(' ').map(Number);
    expect(xTicks.every(Number.isInteger)).toBe(true);
    expect(Math.min(...xTicks)).toBeGreaterThanOrEqual(1);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('compare', () => {
  it('gives ten runs ten colours told apart in normal and colour-blind vision, keeps the wide table inside its card, and warns about different TEST sets', async () => {
    const [a, b] = [await syntheticDataset('oct-compare-a', 1), await syntheticDataset('oct-compare-b-with-a-long-name', 2)];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await createRun(`run ${i + 1} with a fairly long descriptive name`, i < 9 ? a : b);
      await logEpoch(id, 0, { valLoss: 1 - i / 20, valAccuracy: 0.5 + i / 30 });
      await recordEvaluation(id, [[40 + i, 5, 3, 2], [4, 41, 3, 2], [6, 2, 40, 2], [1, 2, 3, 44]]);
      ids.push(id);
    }
    const page = await newPage(ctx.browser, 1280, 900);
    await page.goto(`${ctx.app.origin}/compare?ids=${ids.join(',')}`);
    await page.locator('[data-testid=compare]').waitFor({ timeout: 15_000 });

    const warning = page.locator('[data-testid=test-set-warning]');
    expect(await warning.textContent()).toMatch(/2 different TEST sets:.*\(oct-compare-a\).* vs "run 10 with a fairly long descriptive name" \(oct-compare-b-with-a-long-name\)/);

    const swatches = await page.locator('[data-testid=compare] .run-head .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(swatches).toHaveLength(10);
    expect(await figure(page, 'Validation loss per epoch').getAttribute('data-colors')).toBe(swatches.map((c) => '#' + parseRgb(c).map((v) => v.toString(16).padStart(2, '0')).join('')).join(' '));
    for (const [vision, matrix] of [['normal', null], ...Object.entries(DEFICIENCIES)] as const) {
      const colours = swatches.map((c) => lab(simulate(parseRgb(c), matrix)));
      let closest = Infinity;
      for (let i = 0; i < colours.length; i++) for (let j = i + 1; j < colours.length; j++) closest = Math.min(closest, Math.hypot(...colours[i].map((v, k) => v - colours[j][k])));
      expect(closest, `the two closest run colours in ${vision} vision (CIELAB distance)`).toBeGreaterThanOrEqual(12);
    }

    // The table scrolls inside its card; the page itself does not scroll sideways.
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, 'the page scrolls sideways at 1280 px').toBeLessThanOrEqual(0);
    const scroller = await page.locator('[data-testid=compare]').evaluate((table) => {
      const box = table.parentElement!;
      const card = box.closest('.card')!.getBoundingClientRect();
      return { scrolls: box.scrollWidth > box.clientWidth, inCard: box.getBoundingClientRect().right <= card.right + 0.5 };
    });
    expect(scroller).toEqual({ scrolls: true, inCard: true });
    expect(await page.locator('[data-testid=costs] tbody tr').count()).toBe(10);
    await screenshot(page, 'compare-ten-runs');
    expect(await phoneOverflow(page, 'compare-ten-runs-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('runs page', () => {
  it('keeps a running run’s Cancel button in view at 1280 px beside a long dataset name, and fits 390 px', async () => {
    const dataset = await syntheticDataset(`oct2017-full-resolution-retinal-oct-scans-kermany-2018-${'x'.repeat(60)}`, 3);
    const runId = await createRun('a run on a dataset with a very long name', dataset);
    const page = await newPage(ctx.browser, 1280, 900);
    await page.goto(`${ctx.app.origin}/runs`);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.waitFor({ timeout: 15_000 });
    const layout = await row.evaluate((tr) => {
      const cancel = [...tr.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!.getBoundingClientRect();
      const scroller = tr.closest('.table-scroll')!;
      const visible = scroller.getBoundingClientRect();
      return { fits: scroller.scrollWidth <= scroller.clientWidth, cancelInView: cancel.left >= visible.left && cancel.right <= visible.right + 0.5 };
    });
    expect(layout).toEqual({ fits: true, cancelInView: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'runs-long-dataset-name');
    expect(await phoneOverflow(page, 'runs-long-dataset-name-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });

  it('starts the form at what this machine can do, estimates the time, keeps the recipe one click away, and disables REKOGNITION without a bucket', async () => {
    await syntheticDataset('oct-for-the-form', 4);
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.app.origin}/runs`);
    await page.locator('summary', { hasText: 'Start a training' }).click();
    const form = page.locator('form.start-form');
    await form.waitFor({ timeout: 10_000 });

    const rekognition = form.locator('select[name=trainer] option[value=REKOGNITION]');
    expect(await rekognition.isDisabled()).toBe(true);
    expect(await form.locator('[data-testid=trainer-reasons] [data-trainer=REKOGNITION]').textContent()).toMatch(/REKOGNITION is unavailable: EPOCHAL_S3_BUCKET is not set/);
    expect(await form.locator('select[name=trainer]').inputValue()).toBe('TFJS');

    const engine = (await gqlOk(ctx.app.url, '{ serverInfo { engine } }')).serverInfo.engine;
    if (engine !== 'tfjs-node-gpu') {
      expect(await form.locator('select[name=architecture]').inputValue()).toBe('SMALL_CNN');
      expect(await form.locator('input[name=imageSize]').inputValue()).toBe('64');
      expect(await form.locator('input[name=fineTuneEpochs]').inputValue()).toBe('0');
    }
    const estimate = form.locator('[data-testid=estimate]');
    await waitFor(async () => /images\/s/.test((await estimate.textContent()) ?? ''), 5_000, 'the time estimate');
    const small = (await estimate.textContent())!;

    await form.locator('[data-testid=use-recipe]').click();
    expect(await form.locator('select[name=architecture]').inputValue()).toBe('VGG16');
    expect(await form.locator('input[name=imageSize]').inputValue()).toBe('224');
    expect(await form.locator('input[name=epochs]').inputValue()).toBe('50');
    expect(await form.locator('input[name=fineTuneEpochs]').inputValue()).toBe('10');
    expect(await form.locator('input[name=augment]').isChecked()).toBe(true);
    await waitFor(async () => ((await estimate.textContent()) ?? '') !== small, 5_000, 'the recipe’s estimate');
    await screenshot(page, 'start-form-defaults');
    expect(pageErrors(page)).toEqual([]);
  });
});
