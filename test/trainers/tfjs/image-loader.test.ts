import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageUriToPath, loadImageBatch } from '../../../src/trainers/tfjs/images/image-loader.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('epochal-image-loader-');
const file = (name: string) => path.join(dir, name);

/** Writes raw 8-bit pixels (row-major, interleaved channels) as an image file. */
async function writeImage(name: string, width: number, height: number, channels: 1 | 2 | 3 | 4, pixel: (x: number, y: number) => number[]) {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * channels);
  const image = sharp(data, { raw: { width, height, channels } });
  await (name.endsWith('.jpg') ? image.jpeg({ quality: 95 }) : image.png()).toFile(file(name));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await writeImage('orange.png', 10, 6, 3, () => [255, 128, 0]);
  await writeImage('grey100.png', 5, 5, 1, () => [100]);
  await writeImage('grey200.jpg', 16, 16, 1, () => [200]);
  await writeImage('transparent.png', 3, 3, 4, () => [10, 20, 30, 0]);
  await writeImage('grey-alpha.png', 3, 3, 2, () => [60, 128]);
  await writeImage('left-white.png', 20, 10, 1, (x) => [x < 10 ? 255 : 0]);
  // 16-bit grayscale PNG: 0x8080 / 65535 is 128 / 255.
  await sharp(new Uint16Array(16).fill(0x8080), { raw: { width: 4, height: 4, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(file('grey16.png'));
  await writeFile(file('notes.png'), 'not an image');
});

describe('loadImageBatch', () => {
  it('decodes RGB to NHWC float32 scaled by 1/255, resizing to a square', async () => {
    const batch = await loadImageBatch(tf, [file('orange.png')], { imageSize: 4, channels: 3 });
    expect(batch.shape).toEqual([1, 4, 4, 3]);
    expect(batch.dtype).toBe('float32');
    const values = batch.dataSync();
    for (let i = 0; i < 16; i++) {
      expect(values[i * 3]).toBeCloseTo(1, 6);
      expect(values[i * 3 + 1]).toBeCloseTo(128 / 255, 6);
      expect(values[i * 3 + 2]).toBeCloseTo(0, 6);
    }
  });

  it('replicates grayscale to three channels or keeps one', async () => {
    const rgb = await loadImageBatch(tf, [file('grey100.png')], { imageSize: 3, channels: 3 });
    expect(new Set(rgb.dataSync())).toEqual(new Set([Math.fround(100 / 255)]));
    const grey = await loadImageBatch(tf, [file('grey100.png')], { imageSize: 3, channels: 1 });
    expect(grey.shape).toEqual([1, 3, 3, 1]);
    expect(new Set(grey.dataSync())).toEqual(new Set([Math.fround(100 / 255)]));
  });

  it('reduces 16-bit images to the 0..1 range, drops alpha, and reads JPEG', async () => {
    const batch = await loadImageBatch(tf, [file('grey16.png'), file('transparent.png'), file('grey200.jpg')], { imageSize: 2, channels: 3 });
    const [deep, transparent, jpeg] = tf.split(batch, 3).map((image) => Array.from(image.dataSync()));
    for (const value of deep) expect(value).toBeCloseTo(128 / 255, 6);
    expect(transparent.slice(0, 3).map((value) => Math.round(value * 255))).toEqual([10, 20, 30]);
    for (const value of jpeg) expect(Math.abs(value * 255 - 200)).toBeLessThanOrEqual(2);
    const greyAlpha = await loadImageBatch(tf, [file('grey-alpha.png')], { imageSize: 2, channels: 3 });
    expect(new Set(greyAlpha.dataSync())).toEqual(new Set([Math.fround(60 / 255)]));
  });

  it('stretches to fill the square without cropping (Keras target_size)', async () => {
    const batch = await loadImageBatch(tf, [file('left-white.png')], { imageSize: 8, channels: 1 });
    const values = batch.dataSync();
    for (let row = 0; row < 8; row++) {
      expect(values[row * 8]).toBeGreaterThan(0.95);
      expect(values[row * 8 + 2]).toBeGreaterThan(0.9);
      expect(values[row * 8 + 5]).toBeLessThan(0.1);
      expect(values[row * 8 + 7]).toBeLessThan(0.05);
    }
  });

  it('keeps the order of the URIs and accepts file:// URIs', async () => {
    const uris = [file('orange.png'), pathToFileURL(file('grey100.png')).href, file('orange.png')];
    const batch = await loadImageBatch(tf, uris, { imageSize: 2, channels: 1 });
    const [first, second, third] = tf.split(batch, 3).map((image) => image.dataSync()[0]);
    expect(second).toBeCloseTo(100 / 255, 6);
    expect(first).not.toBeCloseTo(second, 2);
    expect(third).toBe(first);
  });

  it('returns an empty batch for no URIs', async () => {
    expect((await loadImageBatch(tf, [], { imageSize: 4, channels: 3 })).shape).toEqual([0, 4, 4, 3]);
  });

  it('names the file that is missing or not an image', async () => {
    await expect(loadImageBatch(tf, [file('orange.png'), file('absent.png')], { imageSize: 4, channels: 3 })).rejects.toThrow(
      `Image file not found: ${file('absent.png')}`,
    );
    await expect(loadImageBatch(tf, [file('notes.png')], { imageSize: 4, channels: 3 })).rejects.toThrow(
      `Cannot decode image ${file('notes.png')}`,
    );
    await expect(loadImageBatch(tf, [dir], { imageSize: 4, channels: 3 })).rejects.toThrow(/is a folder/);
  });

  it('refuses s3:// and other remote URIs with a clear message', async () => {
    await expect(loadImageBatch(tf, ['s3://bucket/oct/CNV-1.jpeg'], { imageSize: 4, channels: 3 })).rejects.toThrow(
      /s3:\/\/bucket\/oct\/CNV-1\.jpeg.*s3:\/\/ images are not readable/,
    );
    expect(() => imageUriToPath('https://example.com/a.png')).toThrow(/unsupported URI scheme https/);
    expect(imageUriToPath('relative/a.png')).toBe(path.resolve('relative/a.png'));
  });

  it('rejects invalid sizes and channel counts', async () => {
    await expect(loadImageBatch(tf, [file('orange.png')], { imageSize: 0, channels: 3 })).rejects.toThrow(/imageSize/);
    await expect(loadImageBatch(tf, [file('orange.png')], { imageSize: 4, channels: 2 as 3 })).rejects.toThrow(/channels/);
  });
});
