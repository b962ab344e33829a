import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';

let app: TestApp;
let parentId: string;
let twinId: string;
let dataDir: string;

const GENERATE = `mutation($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id digest } }`;
const DERIVE = `mutation($input: DeriveDatasetInput!) { deriveDataset(input: $input) {
  id name digest derivation { kind params seed } parent { id } imageCount
  images(first: 100) { uri label split contentHash } } }`;

interface Image { uri: string; label: string; split: string; contentHash: string }
const derive = async (input: Record<string, unknown>) => (await gqlOk(app.url, DERIVE, { input: { parentId, ...input } })).deriveDataset;
const imagesOf = async (id: string): Promise<Image[]> =>
  (await gqlOk(app.url, `query($id: ID!) { dataset(id: $id) { images(first: 100) { uri label split contentHash } } }`, { id })).dataset.images;
const count = (images: Image[], split: string, label?: string) => images.filter((i) => i.split === split && (!label || i.label === label)).length;
const LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'epochal-derive-'));
  app = await startTestApp({ dataDir, importRoots: [dataDir] });
  // TRAIN in OCT2017's ratio: CNV 20, DME 6, DRUSEN 5, NORMAL 14; TEST 4 per label.
  parentId = (await gqlOk(app.url, GENERATE, { input: { name: 'oct', imagesPerLabel: 20, imageSize: 32, seed: 3 } })).generateSyntheticDataset.id;
  // The same images in other files: a derivation of it must have the same digest.
  twinId = (await gqlOk(app.url, GENERATE, { input: { name: 'oct-twin', imagesPerLabel: 20, imageSize: 32, seed: 3 } })).generateSyntheticDataset.id;
});
afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('deriveDataset', () => {
  it('subsamples TRAIN per label (rounded, at least one), leaves TEST alone, and records the lineage', async () => {
    const parent = await imagesOf(parentId);
    const quarter = await derive({ subsample: { fraction: 0.25 }, seed: 7 });
    expect(quarter.name).toBe('oct · subsample 25% (seed 7)');
    expect(quarter.derivation).toEqual({ kind: 'SUBSAMPLE', params: { fraction: 0.25 }, seed: 7 });
    expect(quarter.parent).toEqual({ id: parentId });
    // round(0.25 × 20) = 5, round(0.25 × 6) = 2 (1.5 rounds up), round(0.25 × 5) = 1, round(0.25 × 14) = 4 (3.5).
    expect(LABELS.map((l) => count(quarter.images, 'TRAIN', l))).toEqual([5, 2, 1, 4]);
    expect(quarter.images.filter((i: Image) => i.split === 'TEST')).toEqual(parent.filter((i) => i.split === 'TEST'));
    // Rows reference the parent's files.
    const parentUris = new Set(parent.map((i) => i.uri));
    expect(quarter.images.every((i: Image) => parentUris.has(i.uri))).toBe(true);
    const { dataset } = await gqlOk(app.url, `query($id: ID!) { dataset(id: $id) { children { id } } }`, { id: parentId });
    expect(dataset.children.map((c: { id: string }) => c.id)).toContain(quarter.id);
  });

  it('nests: with one seed a smaller fraction is a subset of a larger one; each label within one image of fraction × count', async () => {
    const parent = await imagesOf(parentId);
    let previous: Set<string> | null = null;
    for (const fraction of [0.9, 0.6, 0.35, 0.1]) {
      const child = await derive({ subsample: { fraction }, seed: 11 });
      const train = new Set<string>(child.images.filter((i: Image) => i.split === 'TRAIN').map((i: Image) => i.uri));
      for (const label of LABELS) {
        const kept = count(child.images, 'TRAIN', label);
        expect(kept).toBeGreaterThanOrEqual(1);
        expect(Math.abs(kept - fraction * count(parent, 'TRAIN', label))).toBeLessThanOrEqual(1);
      }
      if (previous) for (const uri of train) expect(previous.has(uri)).toBe(true);
      previous = train;
    }
  });

  it('gives the same images and digest for the same input and seed, and answers the first child when derived again', async () => {
    const first = await derive({ subsample: { fraction: 0.5 }, seed: 2 });
    const again = await derive({ subsample: { fraction: 0.5 }, seed: 2 });
    expect(again.id).toBe(first.id);
    const twin = (await gqlOk(app.url, DERIVE, { input: { parentId: twinId, subsample: { fraction: 0.5 }, seed: 2 } })).deriveDataset;
    expect(twin.id).not.toBe(first.id);
    expect(twin.digest).toBe(first.digest);
    const other = await derive({ subsample: { fraction: 0.5 }, seed: 3 });
    expect(other.digest).not.toBe(first.digest);
  });

  it('takes perLabel images of each label, all of a smaller one', async () => {
    const child = await derive({ subsample: { perLabel: 6 } });
    expect(LABELS.map((l) => count(child.images, 'TRAIN', l))).toEqual([6, 6, 5, 6]);
  });

  it('keeps keepFraction of one label for CLASS_IMBALANCE', async () => {
    const child = await derive({ classImbalance: { label: 'CNV', keepFraction: 0.1 } });
    expect(child.name).toBe('oct · CNV kept 10% (seed 1)');
    expect(LABELS.map((l) => count(child.images, 'TRAIN', l))).toEqual([2, 6, 5, 14]);
  });

  it('relabels round(rate × TRAIN) images to another label, keeping their files and hashes', async () => {
    const parent = await imagesOf(parentId);
    const child = await derive({ labelNoise: { rate: 0.2 } });
    const truth = new Map(parent.map((i) => [i.contentHash, i.label]));
    expect(child.images.map((i: Image) => i.contentHash).sort()).toEqual(parent.map((i) => i.contentHash).sort());
    const changed = child.images.filter((i: Image) => truth.get(i.contentHash) !== i.label);
    expect(changed).toHaveLength(Math.round(0.2 * 45)); // 9 of 45 TRAIN images
    expect(changed.every((i: Image) => i.split === 'TRAIN')).toBe(true);
    const again = (await gqlOk(app.url, DERIVE, { input: { parentId: twinId, labelNoise: { rate: 0.2 } } })).deriveDataset;
    expect(again.digest).toBe(child.digest);
  });

  it('writes corrupted TEST files under the data folder with new hashes; TRAIN keeps the parent files', async () => {
    const parent = await imagesOf(parentId);
    const child = await derive({ corruption: { kind: 'GAUSSIAN_NOISE', severity: 3 } });
    expect(child.derivation.params).toEqual({ kind: 'GAUSSIAN_NOISE', severity: 3, splits: ['TEST'] });
    const test = child.images.filter((i: Image) => i.split === 'TEST');
    expect(test).toHaveLength(16);
    const parentHashes = new Set(parent.map((i) => i.contentHash));
    for (const image of test) {
      expect(path.resolve(image.uri).startsWith(path.join(dataDir, 'derived') + path.sep)).toBe(true);
      expect(parentHashes.has(image.contentHash)).toBe(false);
    }
    expect(child.images.filter((i: Image) => i.split === 'TRAIN')).toEqual(parent.filter((i) => i.split === 'TRAIN'));
    // Seeded noise: the same corruption of the same images gives the same bytes.
    const twin = (await gqlOk(app.url, DERIVE, { input: { parentId: twinId, corruption: { kind: 'GAUSSIAN_NOISE', severity: 3 } } })).deriveDataset;
    expect(twin.digest).toBe(child.digest);
    for (const kind of ['SPECKLE', 'BLUR', 'JPEG', 'CONTRAST', 'BRIGHTNESS']) {
      const other = await derive({ corruption: { kind, severity: 5 } });
      expect(other.images.filter((i: Image) => i.split === 'TEST' && parentHashes.has(i.contentHash))).toEqual([]);
    }
  });

  it.each([
    ['no transformation', {}, 'BAD_USER_INPUT', /exactly one of subsample, classImbalance, labelNoise, corruption; got none/],
    ['two transformations', { subsample: { fraction: 0.5 }, labelNoise: { rate: 0.1 } }, 'BAD_USER_INPUT', /got subsample and labelNoise/],
    ['a fraction of 0', { subsample: { fraction: 0 } }, 'BAD_USER_INPUT', /input\.subsample\.fraction: fraction must be above 0/],
    ['a fraction above 1', { subsample: { fraction: 1.5 } }, 'BAD_USER_INPUT', /fraction must be at most 1/],
    ['fraction and perLabel', { subsample: { fraction: 0.5, perLabel: 3 } }, 'BAD_USER_INPUT', /exactly one of fraction and perLabel/],
    ['an unknown label', { classImbalance: { label: 'GLAUCOMA', keepFraction: 0.5 } }, 'BAD_USER_INPUT', /classImbalance\.label: "GLAUCOMA" is not a TRAIN label/],
    ['a noise rate of 1', { labelNoise: { rate: 1 } }, 'BAD_USER_INPUT', /rate must be below 1/],
    ['a negative noise rate', { labelNoise: { rate: -0.1 } }, 'BAD_USER_INPUT', /rate must be at least 0/],
    ['severity 6', { corruption: { kind: 'BLUR', severity: 6 } }, 'BAD_USER_INPUT', /severity must be from 1 to 5/],
    ['severity 0', { corruption: { kind: 'BLUR', severity: 0 } }, 'BAD_USER_INPUT', /severity must be from 1 to 5/],
    ['an empty split', { corruption: { kind: 'BLUR', severity: 1, splits: ['VALIDATION'] } }, 'BAD_USER_INPUT', /no VALIDATION images to corrupt/],
    ['an unknown parent', { parentId: '00000000-0000-4000-8000-000000000000', subsample: { fraction: 0.5 } }, 'NOT_FOUND', /dataset 00000000/],
    ['a parent id that is no id', { parentId: 'nope', subsample: { fraction: 0.5 } }, 'NOT_FOUND', /dataset nope/],
  ])('refuses %s, making nothing', async (_name, input, code, message) => {
    const before = await app.dataSource.query(`SELECT (SELECT count(*)::int FROM datasets) AS datasets, (SELECT count(*)::int FROM dataset_images) AS images`);
    const files = await readdir(path.join(dataDir, 'derived'), { recursive: true }).catch(() => []);
    const result = await gql(app.url, DERIVE, { input: { parentId, ...input } });
    expect(errorCode(result)).toBe(code);
    expect(result.errors![0].message).toMatch(message);
    expect(await app.dataSource.query(`SELECT (SELECT count(*)::int FROM datasets) AS datasets, (SELECT count(*)::int FROM dataset_images) AS images`)).toEqual(before);
    expect(await readdir(path.join(dataDir, 'derived'), { recursive: true }).catch(() => [])).toEqual(files);
  });

  it('refuses a corruption of images outside the server\'s folders', async () => {
    const { createDataset } = await gqlOk(app.url, `mutation { createDataset(input: { name: "outside", images: [
      { uri: "/etc/hostname", label: "A", split: TEST }, { uri: "/etc/hostname", label: "B", split: TRAIN }] }) { id } }`);
    const result = await gql(app.url, DERIVE, { input: { parentId: createDataset.id, corruption: { kind: 'BLUR', severity: 1 } } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/outside the folders/);
  });
});
