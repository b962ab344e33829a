import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/kernel/random.js';
import { createHash } from 'node:crypto';
import { generateSyntheticImages, oct2017SplitCounts, renderOctScan, splitCounts } from '../../src/datasets/synthetic-images.js';
import { tempDir } from '../support/temp-dir.js';

const tmp = tempDir('epochal-synthetic-');

describe('splitCounts', () => {
  it('splits by the fractions', () => {
    expect(splitCounts(10, { train: 0.7, validation: 0.1, test: 0.2 })).toEqual({ TRAIN: 7, VALIDATION: 1, TEST: 2 });
    expect(splitCounts(100, { train: 0.7, validation: 0.1, test: 0.2 })).toEqual({ TRAIN: 70, VALIDATION: 10, TEST: 20 });
    expect(splitCounts(10, { train: 0.8, validation: 0, test: 0.2 })).toEqual({ TRAIN: 8, VALIDATION: 0, TEST: 2 });
  });

  it('gives every split with a share at least one image from 3 images on', () => {
    for (let total = 3; total <= 12; total++) {
      const counts = splitCounts(total, { train: 0.7, validation: 0.1, test: 0.2 });
      expect(counts.TRAIN + counts.VALIDATION + counts.TEST).toBe(total);
      expect(Math.min(counts.TRAIN, counts.VALIDATION, counts.TEST)).toBeGreaterThanOrEqual(1);
    }
    expect(splitCounts(3, { train: 0.1, validation: 0.45, test: 0.45 })).toEqual({ TRAIN: 1, VALIDATION: 1, TEST: 1 });
    expect(splitCounts(2, { train: 0.7, validation: 0.1, test: 0.2 })).toEqual({ TRAIN: 2, VALIDATION: 0, TEST: 0 });
  });
});

describe('generateSyntheticImages', () => {
  it('writes grayscale PNGs in <split>/<label>/<label>-<n>.png with absolute URIs', async () => {
    const dir = path.join(tmp, 'layout');
    const images = await generateSyntheticImages({ dir, imagesPerLabel: 10, imageSize: 48, seed: 1 });
    expect(images).toHaveLength(40);
    for (const label of ['CNV', 'DME', 'DRUSEN', 'NORMAL']) {
      const ofLabel = images.filter((image) => image.label === label);
      expect(ofLabel.filter((image) => image.split === 'TRAIN')).toHaveLength(7);
      expect(ofLabel.filter((image) => image.split === 'VALIDATION')).toHaveLength(1);
      expect(ofLabel.filter((image) => image.split === 'TEST')).toHaveLength(2);
    }
    for (const image of images) {
      expect(path.isAbsolute(image.uri)).toBe(true);
      expect(path.relative(dir, image.uri)).toMatch(new RegExp(`^${image.split.toLowerCase()}/${image.label}/${image.label}-\\d+\\.png$`));
    }
    expect(new Set(images.map((image) => image.uri)).size).toBe(40);
    expect((await readdir(dir)).sort()).toEqual(['test', 'train', 'validation']);
    const metadata = await sharp(images[0].uri).metadata();
    expect([metadata.format, metadata.width, metadata.height, metadata.channels]).toEqual(['png', 48, 48, 1]);
  });

  it('puts at least one image per label in every split from 3 per label', async () => {
    const images = await generateSyntheticImages({ dir: path.join(tmp, 'three'), labels: ['CNV', 'NORMAL'], imagesPerLabel: 3, imageSize: 32, seed: 2 });
    for (const label of ['CNV', 'NORMAL']) {
      for (const split of ['TRAIN', 'VALIDATION', 'TEST']) {
        expect(images.filter((image) => image.label === label && image.split === split)).toHaveLength(1);
      }
    }
  });

  it('is byte-identical for the same seed and differs for another', async () => {
    const options = { imagesPerLabel: 4, imageSize: 40, splits: { train: 0.5, validation: 0.25, test: 0.25 } };
    const first = await generateSyntheticImages({ ...options, dir: path.join(tmp, 'seed-a'), seed: 9 });
    const again = await generateSyntheticImages({ ...options, dir: path.join(tmp, 'seed-b'), seed: 9 });
    const other = await generateSyntheticImages({ ...options, dir: path.join(tmp, 'seed-c'), seed: 10 });
    for (let i = 0; i < first.length; i++) {
      const bytes = await readFile(first[i].uri);
      expect(path.relative(path.join(tmp, 'seed-a'), first[i].uri)).toBe(path.relative(path.join(tmp, 'seed-b'), again[i].uri));
      expect((await readFile(again[i].uri)).equals(bytes)).toBe(true);
      expect((await readFile(other[i].uri)).equals(bytes)).toBe(false);
    }
  });

  describe('class-specific structure (noise-free renders; one seed gives every label the same retina)', () => {
    const size = 64;
    const render = (label: string, seed: number) => renderOctScan(label, size, createRandom(seed), { speckle: false });
    const at = (pixels: Uint8Array, row: number, col: number) => pixels[row * size + col];
    /** Per column, the last row of the RPE (the lowest pixel above 200). */
    const rpeBottom = (pixels: Uint8Array) =>
      Array.from({ length: size }, (_, col) => {
        for (let row = size - 1; row >= 0; row--) if (at(pixels, row, col) > 200) return row;
        return -1;
      });
    /** Pixels darker than any retinal layer between a column's first bright pixel and its RPE. */
    const darkInsideRetina = (pixels: Uint8Array) => {
      const bottoms = rpeBottom(pixels);
      let count = 0;
      for (let col = 0; col < size; col++) {
        let row = 0;
        while (row < size && at(pixels, row, col) <= 100) row++;
        for (; row < bottoms[col]; row++) if (at(pixels, row, col) < 25) count++;
      }
      return count;
    };
    const brightPixels = (pixels: Uint8Array) => pixels.reduce((sum, value) => sum + (value > 150 ? 1 : 0), 0);
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);

    it('NORMAL has no dark pockets in the retina; DME always has cysts', () => {
      for (const seed of seeds) {
        expect(darkInsideRetina(render('NORMAL', seed))).toBe(0);
        expect(darkInsideRetina(render('DME', seed))).toBeGreaterThan(3);
      }
    });

    it('CNV adds a large bright lesion under the retina', () => {
      for (const seed of seeds) expect(brightPixels(render('CNV', seed))).toBeGreaterThan(brightPixels(render('NORMAL', seed)) + size / 2);
    });

    it('DRUSEN raises the RPE in bumps that NORMAL lacks', () => {
      for (const seed of seeds) {
        const normal = rpeBottom(render('NORMAL', seed));
        const drusen = rpeBottom(render('DRUSEN', seed));
        const raised = normal.map((row, col) => row - drusen[col]);
        expect(Math.min(...raised)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...raised)).toBeGreaterThanOrEqual(2);
      }
    });

    it('adds speckle by default', () => {
      const noisy = renderOctScan('NORMAL', size, createRandom(1));
      const clean = render('NORMAL', 1);
      expect(noisy.filter((value, i) => value !== clean[i]).length).toBeGreaterThan(0.8 * size * size);
    });
  });

  it('lays out the oct2017 layout like the study: TRAIN in OCT2017 class ratio, balanced TEST, no VALIDATION', async () => {
    expect(oct2017SplitCounts('CNV', 300)).toEqual({ TRAIN: 300, VALIDATION: 0, TEST: 60 });
    // 300 × 11,348 / 37,205 = 91.5; 300 × 8,616 / 37,205 = 69.5; 300 × 26,315 / 37,205 = 212.2
    expect(oct2017SplitCounts('DME', 300).TRAIN).toBe(92);
    expect(oct2017SplitCounts('DRUSEN', 300).TRAIN).toBe(69);
    expect(oct2017SplitCounts('NORMAL', 300).TRAIN).toBe(212);
    expect(oct2017SplitCounts('DRUSEN', 3)).toEqual({ TRAIN: 1, VALIDATION: 0, TEST: 1 });

    const progress: [number, number][] = [];
    const options = { imagesPerLabel: 20, imageSize: 24, seed: 4, layout: 'oct2017' as const };
    const images = await generateSyntheticImages({ ...options, dir: path.join(tmp, 'study'), progress: { every: 25, report: (done, total) => progress.push([done, total]) } });
    const count = (label: string, split: string) => images.filter((i) => i.label === label && i.split === split).length;
    expect(['CNV', 'DME', 'DRUSEN', 'NORMAL'].map((label) => count(label, 'TRAIN'))).toEqual([20, 6, 5, 14]);
    expect(['CNV', 'DME', 'DRUSEN', 'NORMAL'].map((label) => count(label, 'TEST'))).toEqual([4, 4, 4, 4]);
    expect(images.filter((i) => i.split === 'VALIDATION')).toHaveLength(0);
    expect(progress).toEqual([[25, 61], [50, 61], [61, 61]]);

    // Deterministic; image n of a label is the same picture whatever imagesPerLabel.
    const again = await generateSyntheticImages({ ...options, dir: path.join(tmp, 'study-again') });
    expect(again.map((i) => i.contentHash)).toEqual(images.map((i) => i.contentHash));
    const bigger = await generateSyntheticImages({ ...options, imagesPerLabel: 21, dir: path.join(tmp, 'study-bigger') });
    const testName = (i: { uri: string }) => path.basename(i.uri);
    const cnvTest = images.filter((i) => i.label === 'CNV' && i.split === 'TEST');
    expect(cnvTest.map(testName)).toEqual(['CNV-20.png', 'CNV-21.png', 'CNV-22.png', 'CNV-23.png']);
    const cnv21 = (list: typeof images) => list.find((i) => testName(i) === 'CNV-21.png')!;
    expect(cnv21(bigger).split).toBe('TEST');
    expect(cnv21(bigger).contentHash).toBe(cnv21(images).contentHash);
  });

  it('records the SHA-256 of every file it writes', async () => {
    const images = await generateSyntheticImages({ dir: path.join(tmp, 'hashes'), imagesPerLabel: 3, imageSize: 16, seed: 6 });
    for (const image of images) {
      expect(image.contentHash).toBe(createHash('sha256').update(await readFile(image.uri)).digest('hex'));
    }
    expect(new Set(images.map((i) => i.contentHash)).size).toBe(images.length);
  });

  it('generates 400 images at 128 px', async () => {
    const images = await generateSyntheticImages({ dir: path.join(tmp, 'many'), imagesPerLabel: 100, imageSize: 128, seed: 3 });
    expect(images).toHaveLength(400);
  });

  it('refuses labels that are not plain folder names and splits that do not sum to 1', async () => {
    const base = { dir: path.join(tmp, 'bad'), imagesPerLabel: 3, imageSize: 32, seed: 1 };
    await expect(generateSyntheticImages({ ...base, labels: ['../escape'] })).rejects.toThrow(/not a valid folder name/);
    await expect(generateSyntheticImages({ ...base, labels: ['.hidden'] })).rejects.toThrow(/not a valid folder name/);
    await expect(generateSyntheticImages({ ...base, labels: ['A', 'A'] })).rejects.toThrow(/unique/);
    await expect(generateSyntheticImages({ ...base, splits: { train: 0.5, validation: 0.1, test: 0.1 } })).rejects.toThrow(/sum to 1/);
  });
});
