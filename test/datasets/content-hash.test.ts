import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashImageFiles, sha256OfFile } from '../../src/datasets/content-hash.js';
import type { LabeledImage } from '../../src/datasets/dataset.record.js';
import { tempDir } from '../support/temp-dir.js';

const tmp = tempDir('epochal-hash-');

describe('content hashes', () => {
  it('hashes a file larger than one stream chunk like a hash of its whole bytes', async () => {
    const bytes = Buffer.alloc(300_000, 0);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 251;
    const file = path.join(tmp, 'big.bin');
    await writeFile(file, bytes);
    expect(await sha256OfFile(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The known digest of the empty input.
    await writeFile(path.join(tmp, 'empty.bin'), '');
    expect(await sha256OfFile(path.join(tmp, 'empty.bin'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes every image with bounded concurrency and reports progress', async () => {
    const images: LabeledImage[] = await Promise.all(Array.from({ length: 7 }, async (_, i) => {
      const uri = path.join(tmp, `img-${i}.png`);
      await writeFile(uri, `image ${i}`);
      return { uri, label: 'A', split: 'TRAIN' as const };
    }));
    const progress: number[] = [];
    await hashImageFiles(images, { concurrency: 2, progress: { every: 3, report: (done) => progress.push(done) } });
    expect(images.map((i) => i.contentHash)).toEqual(images.map((_, i) => createHash('sha256').update(`image ${i}`).digest('hex')));
    expect(progress).toEqual([3, 6, 7]);
  });

  it('names the file it cannot read', async () => {
    await expect(hashImageFiles([{ uri: path.join(tmp, 'missing.png'), label: 'A', split: 'TEST' }])).rejects.toThrow(/Cannot read .*missing\.png to hash it/);
  });
});
