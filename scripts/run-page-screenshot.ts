/**
 * docs/screenshots/run-page.png from a real training run: starts Epochal with
 * an embedded database and the in-process TFJS worker, trains a small CNN on a
 * synthetic OCT-like dataset, watches the run page live in Debian's chromium,
 * and screenshots it when the run has finished.
 *
 *   npx tsx scripts/run-page-screenshot.ts [output.png]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { startApp } from '../src/bootstrap.js';
import { removeEmbeddedCluster } from '../src/db/embedded-postgres.js';
import { loadConfig } from '../src/config.js';
import { ensureDashboardBuilt } from '../src/http/web-app.js';

const output = path.resolve(process.argv[2] ?? 'docs/screenshots/run-page.png');
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function main() {
  await ensureDashboardBuilt({ log, whenStale: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-screenshot-'));
  const config = loadConfig({ ...process.env, EPOCHAL_DATA_DIR: dataDir, EPOCHAL_IMPORT_ROOTS: dataDir, PORT: '0', HOST: '127.0.0.1', EPOCHAL_AUTH: 'off', EPOCHAL_WORKER: 'on', DATABASE_URL: undefined });
  const app = await startApp(config, log);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const { generateSyntheticDataset: dataset } = await gql<{ generateSyntheticDataset: { id: string } }>(app.url,
      `mutation { generateSyntheticDataset(input: { name: "oct-synthetic", imagesPerLabel: 300, imageSize: 64, seed: 1 }) { id } }`);
    const { startTraining: run } = await gql<{ startTraining: { id: string } }>(app.url, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
      input: {
        name: 'small-cnn-oct', datasetId: dataset.id, trainer: 'TFJS', tags: ['study', 'synthetic'],
        // The demo's recipe (scripts/demo.ts): the study's, at 64 px, 30 + 3 epochs, without augmentation.
        tfjs: { architecture: 'SMALL_CNN', imageSize: 64, epochs: 30, earlyStoppingPatience: 8, fineTuneEpochs: 3, augment: false, batchLogEvery: 2, seed: 1 },
      },
    });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${app.url.replace(/\/graphql$/, '')}/runs/${run.id}`);
    const started = Date.now();
    for (;;) {
      const { run: state } = await gql<{ run: { status: string; error: string | null; epochs: unknown[] } }>(app.url, `query ($id: ID!) { run(id: $id) { status error epochs { index } } }`, { id: run.id });
      if (state.status === 'FAILED' || state.status === 'CANCELLED') throw new Error(`the run ${state.status}: ${state.error}`);
      if (state.status === 'SUCCEEDED') break;
      if (Date.now() - started > 15 * 60_000) throw new Error('training took longer than 15 minutes');
      process.stdout.write(`\r${state.status} ${state.epochs.length} epochs, ${Math.round((Date.now() - started) / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    // The page refreshes its evaluation and artifacts when the live status says SUCCEEDED.
    await page.locator('[data-testid=confusion-matrix]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    mkdirSync(path.dirname(output), { recursive: true });
    await page.screenshot({ path: output, fullPage: true });
    console.log(`\nwrote ${output} (run ${run.id}, ${Math.round((Date.now() - started) / 1000)} s of training)`);
  } finally {
    await browser.close();
    await app.stop();
    removeEmbeddedCluster(path.join(dataDir, 'postgres'));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
