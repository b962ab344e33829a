import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../src/dashboard/static.js';
import type { Config } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve('test-artifacts');

export interface DashboardApp extends TestApp {
  /** http://127.0.0.1:<port>, where the dashboard is served. */
  origin: string;
  dataDir: string;
}

/** The real app on port 0 (it serves the dashboard and the file routes), with the dashboard built from the current sources. */
export async function startDashboardApp(overrides: Partial<Config> = {}): Promise<DashboardApp> {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  await ensureDashboardBuilt({ log, whenStale: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-dashboard-'));
  const app = await startTestApp({ dataDir, importRoots: [dataDir], ...overrides });
  return Object.assign(app, { origin: app.url.replace(/\/graphql$/, ''), dataDir });
}

/** Debian's chromium; the tests fail (never skip) without it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does this), or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newPage(browser: Browser, width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // A page error is a test failure: keep them for the assertion message.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  errorsByPage.set(page, errors);
  return page;
}

const errorsByPage = new WeakMap<Page, string[]>();
/** Uncaught errors in the page so far. */
export const pageErrors = (page: Page) => errorsByPage.get(page) ?? [];

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Polls until `check` returns true (Playwright's expect-style polling, without @playwright/test). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return Date.now() - started;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
