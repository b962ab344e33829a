import { realpathSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareNatural, scanImageFolder } from '../../src/datasets/folder-scan.js';
import { generateSyntheticImages } from '../../src/datasets/synthetic-images.js';
import { tempDir } from '../support/temp-dir.js';

const tmp = realpathSync(tempDir('epochal-folder-scan-'));
let caseNumber = 0;

/** A fresh folder with the given files (contents are irrelevant: the scan does not decode). */
async function layout(files: string[]): Promise<string> {
  const root = path.join(tmp, `case-${++caseNumber}`);
  await mkdir(root, { recursive: true });
  for (const file of files) {
    await mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await writeFile(path.join(root, file), 'x');
  }
  return root;
}

const relativeTo = (root: string, images: { uri: string; label: string; split: string }[]) =>
  images.map((image) => `${image.split} ${image.label} ${path.relative(root, image.uri)}`);

describe('scanImageFolder', () => {
  it('finds exactly what the synthetic generator wrote', async () => {
    const dir = path.join(tmp, 'synthetic');
    const written = await generateSyntheticImages({ dir, imagesPerLabel: 12, imageSize: 32, seed: 4 });
    const scanned = await scanImageFolder(dir);
    const key = (image: { uri: string; label: string; split: string }) => `${image.split}|${image.label}|${image.uri}`;
    expect(scanned.map(key).sort()).toEqual(written.map(key).sort());
    // Splits in TRAIN, VALIDATION, TEST order; names by number (CNV-2 before CNV-10).
    const train = scanned.filter((image) => image.split === 'TRAIN' && image.label === 'CNV').map((image) => path.basename(image.uri));
    expect(train.slice(0, 3)).toEqual(['CNV-0.png', 'CNV-1.png', 'CNV-2.png']);
    const splitRanks = scanned.map((image) => ['TRAIN', 'VALIDATION', 'TEST'].indexOf(image.split));
    expect(splitRanks).toEqual([...splitRanks].sort((a, b) => a - b));
    expect(await scanImageFolder(dir)).toEqual(scanned);
  });

  it('reads OCT2017-style names in any case and skips hidden and non-image files', async () => {
    const root = await layout([
      'TRAIN/CNV/CNV-10.JPEG',
      'TRAIN/CNV/CNV-9.jpeg',
      'Train/DME/dme.Jpg',
      'val/NORMAL/n.png',
      'Testing/DRUSEN/d.jpeg',
      'TRAIN/CNV/.DS_Store',
      'TRAIN/CNV/.hidden.png',
      'TRAIN/CNV/notes.txt',
      'TRAIN/CNV/nested/deeper.png',
      'TRAIN/.cache/x.png',
      '.git/objects/a.png',
      '__MACOSX/train/CNV/._a.jpeg',
      'README.md',
    ]);
    expect(relativeTo(root, await scanImageFolder(root))).toEqual([
      'TRAIN CNV TRAIN/CNV/CNV-9.jpeg',
      'TRAIN CNV TRAIN/CNV/CNV-10.JPEG',
      'TRAIN DME Train/DME/dme.Jpg',
      'VALIDATION NORMAL val/NORMAL/n.png',
      'TEST DRUSEN Testing/DRUSEN/d.jpeg',
    ]);
  });

  it('lists the unexpected top-level folders', async () => {
    const root = await layout(['train/CNV/a.png', 'holdout/CNV/b.png', 'Extra/c.png']);
    await expect(scanImageFolder(root)).rejects.toThrow(/Unexpected folder\(s\) in .*: Extra, holdout\. Top-level folders must be splits/);
  });

  it('refuses an empty folder, splits without images and images outside label folders', async () => {
    await expect(scanImageFolder(await layout([]))).rejects.toThrow(/No split folders/);
    await expect(scanImageFolder(await layout(['train/CNV/notes.txt', 'test/README']))).rejects.toThrow(/No images/);
    await expect(scanImageFolder(await layout(['train/loose.png']))).rejects.toThrow(/train\/loose\.png is directly in a split folder/);
    await expect(scanImageFolder(path.join(tmp, 'absent'))).rejects.toThrow(/Dataset folder not found/);
    const file = path.join(await layout(['a.png']), 'a.png');
    await expect(scanImageFolder(file)).rejects.toThrow(/not a folder/);
  });

  describe('symbolic links', () => {
    let outside: string;

    beforeAll(async () => {
      outside = await layout(['secret.png', 'CNV/stolen.png', 'train/CNV/x.png']);
    });

    it('refuses an image link that leaves the root, without naming its target', async () => {
      const root = await layout(['train/CNV/a.png']);
      await symlink(path.join(outside, 'secret.png'), path.join(root, 'train/CNV/b.png'));
      const error = await scanImageFolder(root).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/Symbolic link train\/CNV\/b\.png points outside the dataset folder/);
      expect((error as Error).message).not.toContain(outside);
    });

    it('refuses label and split folder links that leave the root, relative links too', async () => {
      const labelRoot = await layout(['train/DME/a.png']);
      await symlink(path.join(outside, 'CNV'), path.join(labelRoot, 'train/CNV'));
      await expect(scanImageFolder(labelRoot)).rejects.toThrow(/train\/CNV points outside/);

      const splitRoot = await layout(['test/DME/a.png']);
      await symlink(path.relative(splitRoot, path.join(outside, 'train')), path.join(splitRoot, 'train'));
      await expect(scanImageFolder(splitRoot)).rejects.toThrow(/Symbolic link train points outside/);

      const dotDotRoot = await layout(['train/DME/a.png']);
      await symlink('../../..', path.join(dotDotRoot, 'train/DME/up.png'));
      await expect(scanImageFolder(dotDotRoot)).rejects.toThrow(/train\/DME\/up\.png points outside/);
    });

    it('refuses broken and looping links', async () => {
      const root = await layout(['train/CNV/a.png']);
      await symlink(path.join(root, 'missing.png'), path.join(root, 'train/CNV/b.png'));
      await expect(scanImageFolder(root)).rejects.toThrow(/train\/CNV\/b\.png .*broken or loops/);
      const loop = await layout(['train/CNV/a.png']);
      await symlink('c.png', path.join(loop, 'train/CNV/c.png'));
      await expect(scanImageFolder(loop)).rejects.toThrow(/broken or loops/);
    });

    it('follows links that stay inside the root and returns their real paths', async () => {
      const root = await layout(['train/DME/real.png', 'test/CNV/a.png']);
      await symlink('../DME/real.png', path.join(root, 'train/DME/alias.png'));
      await symlink(path.join(root, 'test/CNV'), path.join(root, 'test/NORMAL'));
      expect(relativeTo(root, await scanImageFolder(root))).toEqual([
        'TRAIN DME train/DME/real.png',
        'TRAIN DME train/DME/real.png',
        'TEST CNV test/CNV/a.png',
        'TEST NORMAL test/CNV/a.png',
      ]);
    });

    it('accepts a root reached through a link', async () => {
      const root = await layout(['train/CNV/a.png']);
      const link = path.join(tmp, `root-link-${caseNumber}`);
      await symlink(root, link);
      expect(relativeTo(root, await scanImageFolder(link))).toEqual(['TRAIN CNV train/CNV/a.png']);
    });
  });
});

describe('compareNatural', () => {
  it('orders digit runs by value and is a total order', () => {
    expect(['b', 'a10', 'a2', 'a02', 'A1', 'a'].sort(compareNatural)).toEqual(['A1', 'a', 'a02', 'a2', 'a10', 'b']);
  });
});
