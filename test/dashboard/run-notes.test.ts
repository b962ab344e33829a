import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createRun } from '../support/testkit.js';
import { cuttableSockets, newPage, openRunPage, pageErrors, phoneOverflow, screenshot, useDashboard, waitFor } from './dashboard-app.js';

/**
 * Trainer notes on the run page (Rekognition's status messages): the stored
 * ones on load, new ones live, none twice after a resume resends them.
 */
const ctx = useDashboard();
const DATASET = 'dataset CREATE_COMPLETE: The dataset was created.';
const TRAINING = 'model TRAINING_IN_PROGRESS: The model is being trained.';

const noteTexts = (page: Page) => page.locator('[data-testid=notes] li .note-message').allTextContents();
const hasNotes = (page: Page, messages: string[]) => async () => JSON.stringify(await noteTexts(page)) === JSON.stringify(messages);
const notesCard = (page: Page) => page.locator('section#notes');

describe('run page trainer notes', () => {
  it('shows a stored note, then a new one without a reload, after the Curves card', async () => {
    const runId = await createRun(ctx.app, { name: 'rekognition-notes', tags: ['rekognition'] });
    await ctx.app.services.runs.note(runId, DATASET);
    const page = await newPage(ctx.browser);
    await openRunPage(page, ctx.app, runId);
    await waitFor(hasNotes(page, [DATASET]), 5_000, 'the stored note');
    expect(await notesCard(page).isVisible()).toBe(true);
    const cards = await page.locator('section.card > h2').allTextContents();
    expect(cards.findIndex((t) => t.startsWith('Trainer notes'))).toBe(cards.indexOf('Curves') + 1);

    await ctx.app.services.runs.note(runId, TRAINING);
    await waitFor(hasNotes(page, [DATASET, TRAINING]), 5_000, 'the new note, newest last');
    expect(await notesCard(page).locator('h2').textContent()).toBe('Trainer notes (2)');
    const times = await page.locator('[data-testid=notes] time').evaluateAll((els) => els.map((e) => [e.getAttribute('datetime'), e.textContent]));
    for (const [iso, text] of times) {
      expect(Date.parse(iso!)).toBeGreaterThan(Date.now() - 60_000);
      expect(text).toMatch(/\d{1,2}:\d{2}/); // fmtDate's time of day
    }
    await screenshot(page, 'run-page-notes');
    expect(await phoneOverflow(page, 'run-page-notes-phone'), 'the page scrolls sideways at phone width').toBeLessThanOrEqual(0);
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows the card when the first note arrives live, and no note twice after a reconnect', async () => {
    const runId = await createRun(ctx.app, { name: 'rekognition-first-note', tags: ['rekognition'] });
    const page = await newPage(ctx.browser);
    const cut = await cuttableSockets(page);
    await openRunPage(page, ctx.app, runId);
    expect(await notesCard(page).isHidden()).toBe(true);

    await ctx.app.services.runs.note(runId, DATASET);
    await waitFor(hasNotes(page, [DATASET]), 5_000, 'the first note, live');
    expect(await notesCard(page).isVisible()).toBe(true);

    await cut();
    await waitFor(async () => (await page.locator('[data-testid=live-state]').getAttribute('data-state')) === 'reconnecting', 5_000, 'the page to notice the drop');
    await ctx.app.services.runs.note(runId, TRAINING);
    // The resumed subscription sends both notes again: each is shown once.
    await waitFor(hasNotes(page, [DATASET, TRAINING]), 15_000, 'the note written while disconnected');
    await page.waitForTimeout(300);
    expect(await noteTexts(page)).toEqual([DATASET, TRAINING]);
    expect(pageErrors(page)).toEqual([]);
  });
});
