import { mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { createRandom } from '../../kernel/random.js';
import type { LabeledImage, Split } from '../dataset.record.js';
import type { CorruptionKind } from './derive-input.js';
import { hash32 } from './seeded-selection.js';

/**
 * Image corruptions after ImageNet-C (Hendrycks & Dietterich, 2019): the same kinds and the same
 * parameter per severity 1-5, on pixel values scaled to [0, 1]. BLUR's sigma is ImageNet-C's for
 * 224 px images, scaled to the image's width (at least 0.3, sharp's smallest). BRIGHTNESS adds to
 * every channel (ImageNet-C adds to HSV value; for grayscale scans that is the same).
 * docs/studies.md lists them.
 */
export const CORRUPTION_LEVELS: Readonly<Record<CorruptionKind, readonly number[]>> = {
  GAUSSIAN_NOISE: [0.08, 0.12, 0.18, 0.26, 0.38], // σ of additive noise
  SPECKLE: [0.15, 0.2, 0.35, 0.45, 0.6], // σ of multiplicative noise: x + x·N(0, σ)
  BLUR: [1, 2, 3, 4, 6], // Gaussian σ in pixels at 224 px
  JPEG: [25, 18, 15, 10, 7], // JPEG quality
  CONTRAST: [0.4, 0.3, 0.2, 0.1, 0.05], // (x − mean)·c + mean
  BRIGHTNESS: [0.1, 0.2, 0.3, 0.4, 0.5], // x + c
};

const WRITE_CONCURRENCY = 4;

/** One image's corrupted bytes and their file extension; noise is seeded by `seed`. */
export async function corruptImage(file: string, kind: CorruptionKind, severity: number, seed: number): Promise<{ bytes: Buffer; ext: 'png' | 'jpg' }> {
  const level = CORRUPTION_LEVELS[kind][severity - 1];
  if (kind === 'JPEG') return { bytes: await sharp(file).jpeg({ quality: level, mozjpeg: false }).toBuffer(), ext: 'jpg' };
  if (kind === 'BLUR') {
    const { width } = await sharp(file).metadata();
    return { bytes: await sharp(file).blur(Math.max(0.3, (level * (width ?? 224)) / 224)).png().toBuffer(), ext: 'png' };
  }
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let mean = 0;
  if (kind === 'CONTRAST') {
    for (const v of data) mean += v / 255;
    mean /= data.length;
  }
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i] / 255;
    let y: number;
    if (kind === 'GAUSSIAN_NOISE') y = x + level * gaussian();
    else if (kind === 'SPECKLE') y = x + x * level * gaussian();
    else if (kind === 'CONTRAST') y = (x - mean) * level + mean;
    else y = x + level;
    out[i] = Math.max(0, Math.min(255, Math.round(y * 255)));
  }
  const bytes = await sharp(out, { raw: { width: info.width, height: info.height, channels: info.channels } }).png({ compressionLevel: 6 }).toBuffer();
  return { bytes, ext: 'png' };
}

/**
 * Writes a corrupted copy of every image of `splits` under `dir` (<split>/<label>/<n>.<ext>) and
 * returns the dataset's images with those replaced by the copies (new uri, new content hash);
 * other splits keep the parent's files. Each image's noise is seeded by (seed, its content hash),
 * so the same input gives the same bytes. `readable` maps an image to a local file it may read.
 */
export async function corruptImages(options: {
  images: readonly LabeledImage[];
  splits: readonly Split[];
  kind: CorruptionKind;
  severity: number;
  seed: number;
  dir: string;
  readable: (image: LabeledImage) => Promise<string>;
}): Promise<LabeledImage[]> {
  const out = [...options.images];
  const targets = out.map((image, index) => ({ image, index })).filter(({ image }) => options.splits.includes(image.split));
  const folders = new Set(targets.map(({ image }) => path.join(options.dir, image.split.toLowerCase(), image.label)));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const { image, index } = targets[next++];
      const file = await options.readable(image);
      const identity = image.contentHash ?? image.uri;
      const { bytes, ext } = await corruptImage(file, options.kind, options.severity, hash32(`${options.seed}\u0000${identity}`));
      const uri = path.join(options.dir, image.split.toLowerCase(), image.label, `${index}.${ext}`);
      await writeFile(uri, bytes);
      out[index] = { ...image, uri, contentHash: createHash('sha256').update(bytes).digest('hex') };
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, targets.length) }, worker));
  return out;
}
