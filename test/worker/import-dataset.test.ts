import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { tempDir } from '../support/temp-dir.js';
import { generateSyntheticImages } from '../../src/datasets/synthetic-images.js';

/** importDataset reads a folder laid out like OCT2017 only from inside EPOCHAL_IMPORT_ROOTS. */
const IMPORT = /* GraphQL */ `
  mutation ($input: ImportDatasetInput!) {
    importDataset(input: $input) { id name labels imageCount classCounts { split label count } images(first: 100) { uri label split contentHash } }
  }`;

const importRoot = realpathSync(tempDir('epochal-import-root-'));
const app = useTestApp({ importRoots: [importRoot] });

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
    // Every image is recorded with the SHA-256 of its bytes.
    for (const image of dataset.images as { uri: string; contentHash: string }[]) {
      expect(image.contentHash).toBe(createHash('sha256').update(readFileSync(image.uri)).digest('hex'));
    }
  });

  it('generateSyntheticDataset lays the data out like the study, with a content hash for every image', async () => {
    const data = await gqlOk(app.url, `mutation { generateSyntheticDataset(input: { name: "study-like", imagesPerLabel: 30, imageSize: 16, seed: 5 }) {
      classCounts { split label count } images(first: 200) { uri contentHash } } }`);
    const { classCounts, images } = data.generateSyntheticDataset;
    const counts = Object.fromEntries(classCounts.map((c: { split: string; label: string; count: number }) => [`${c.split} ${c.label}`, c.count]));
    // OCT2017's 37,205 : 11,348 : 8,616 : 26,315 with CNV at 30; TEST balanced; VALIDATION held out by the trainer.
    expect(counts).toEqual({ 'TRAIN CNV': 30, 'TRAIN DME': 9, 'TRAIN DRUSEN': 7, 'TRAIN NORMAL': 21, 'TEST CNV': 6, 'TEST DME': 6, 'TEST DRUSEN': 6, 'TEST NORMAL': 6 });
    for (const image of images as { uri: string; contentHash: string }[]) {
      expect(image.contentHash).toBe(createHash('sha256').update(readFileSync(image.uri)).digest('hex'));
    }
  });

  it('refuses a folder outside the import roots, naming the roots', async () => {
    const outside = tempDir('epochal-outside-');
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
