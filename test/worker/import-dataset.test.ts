import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { generateSyntheticImages } from '../../src/datasets/synthetic-images.js';

/** importDataset reads a folder laid out like OCT2017 only from inside EPOCHAL_IMPORT_ROOTS. */
const IMPORT = /* GraphQL */ `
  mutation ($input: ImportDatasetInput!) {
    importDataset(input: $input) { id name labels imageCount classCounts { split label count } images(first: 500) { uri label split } }
  }`;

let app: TestApp;
let importRoot: string;

beforeAll(async () => {
  importRoot = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'epochal-import-root-')));
  app = await startTestApp({ importRoots: [importRoot] });
});

afterAll(async () => {
  await app?.stop();
});

describe('importDataset', () => {
  it('imports a <split>/<label>/<image> folder inside an import root', async () => {
    const folder = path.join(importRoot, 'oct-like');
    const written = await generateSyntheticImages({ dir: folder, imagesPerLabel: 6, imageSize: 16, seed: 2 });
    const data = await gqlOk(app.url, IMPORT, { input: { name: 'imported', path: folder } });
    const dataset = data.importDataset;
    expect(dataset.labels).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL']);
    expect(dataset.imageCount).toBe(written.length);
    const key = (i: { uri: string; label: string; split: string }) => `${i.split} ${i.label} ${path.resolve(i.uri)}`;
    expect(dataset.images.map(key).sort()).toEqual(written.map(key).sort());
    for (const split of ['TRAIN', 'VALIDATION', 'TEST']) {
      expect(dataset.classCounts.filter((c: { split: string }) => c.split === split)).toHaveLength(4);
    }
  });

  it('refuses a folder outside the import roots, naming the roots', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'epochal-outside-'));
    await generateSyntheticImages({ dir: outside, imagesPerLabel: 3, imageSize: 16, seed: 2 });
    const result = await gql(app.url, IMPORT, { input: { name: 'sneaky', path: outside } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toContain('outside the folders this server may import from');
    expect(result.errors![0].message).toContain(importRoot);

    // A path that climbs out of a root is judged by where it really leads.
    const climbing = path.join(importRoot, '..', path.basename(outside));
    const climbed = await gql(app.url, IMPORT, { input: { name: 'sneaky', path: climbing } });
    expect(errorCode(climbed)).toBe('BAD_USER_INPUT');
    const datasets = await gqlOk(app.url, `{ datasets { name } }`);
    expect(datasets.datasets.map((d: { name: string }) => d.name)).not.toContain('sneaky');
  });
});
