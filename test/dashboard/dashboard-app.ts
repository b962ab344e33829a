import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureDashboardBuilt } from '../../src/http/web-app.js';
import type { Config } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

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
  const dataDir = tempDir('epochal-dashboard-');
  const app = await startTestApp({ dataDir, importRoots: [dataDir], ...overrides });
  return Object.assign(app, { origin: app.url.replace(/\/graphql$/, ''), dataDir });
}

/** The app and Chromium for a test file: started before its tests, stopped after them (read the fields inside tests). */
export function useDashboard(overrides: Partial<Config> = {}): { app: DashboardApp; browser: Browser } {
  const fixture = {} as { app: DashboardApp; browser: Browser };
  beforeAll(async () => {
    [fixture.app, fixture.browser] = await Promise.all([startDashboardApp(overrides), launchChromium()]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.app?.stop();
  });
  return fixture;
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

/** Whether the run page's subscription has delivered (data-state=live). */
export const isLive = (page: Page) => page.locator('[data-testid=live-state][data-state=live]').count().then((n) => n === 1);

/** Opens a run's page and waits until it is live. */
export async function openRunPage(page: Page, app: DashboardApp, runId: string): Promise<void> {
  await page.goto(`${app.origin}/runs/${runId}`);
  await waitFor(() => isLive(page), 15_000, 'the run page to go live');
}

/** Sends the page's GraphQL WebSockets through a proxy; call the result to cut every connection so far. */
export async function cuttableSockets(page: Page): Promise<() => Promise<void>> {
  const sockets: (() => Promise<void>)[] = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    ws.connectToServer();
    sockets.push(() => ws.close({ code: 4000, reason: 'test cut the connection' }).catch(() => undefined));
  });
  return async () => {
    await Promise.all(sockets.splice(0).map((close) => close()));
  };
}

/** At phone width (390 px): takes screenshot `name` and returns how far the page scrolls sideways (0 is right). */
export async function phoneOverflow(page: Page, name: string): Promise<number> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await screenshot(page, name);
  return overflow;
}
