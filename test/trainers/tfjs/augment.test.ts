import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch, type AugmentationOptions } from '../../../src/trainers/tfjs/images/augment.js';
import { createRandom } from '../../../src/kernel/random.js';
import { RECIPE_AUGMENTATION } from '../../../src/trainers/tfjs/tfjs-config.js';

const IDENTITY: AugmentationOptions = {
  zoomRange: [1, 1],
  horizontalFlip: false,
  rotationDegrees: 0,
  widthShift: 0,
  heightShift: 0,
  fillValue: 0,
  brightnessRange: [1, 1],
};

/** A batch of distinct, asymmetric images with values in [0, 1]. */
function randomImages(batch: number, size: number, channels: number, seed: number): tf.Tensor4D {
  const random = createRandom(seed);
  const values = Float32Array.from({ length: batch * size * size * channels }, () => random());
  return tf.tensor4d(values, [batch, size, size, channels]);
}

/** An image of zeros with one pixel at 1. */
function onePixel(size: number, row: number, col: number): tf.Tensor4D {
  const values = new Float32Array(size * size);
  values[row * size + col] = 1;
  return tf.tensor4d(values, [1, size, size, 1]);
}

function brightestPixel(image: tf.Tensor4D): [number, number] {
  const [, , width] = image.shape;
  const index = tf.argMax(image.reshape([-1])).dataSync()[0];
  return [Math.floor(index / width), index % width];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createRandom', () => {
  it('repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = first.reduce((sum, value) => sum + value, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('uses Math.random without a seed', () => {
    expect(createRandom(null)).toBe(Math.random);
  });
});

describe('augmentBatch', () => {
  it('leaves every image of a batch unchanged under identity options', () => {
    const images = randomImages(3, 9, 3, 1);
    const out = augmentBatch(tf, images, IDENTITY, createRandom(7));
    expect(out.shape).toEqual([3, 9, 9, 3]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(images.dataSync()));
  });

  it('mirrors like tf.image.flipLeftRight when flipping (draw below 0.5)', () => {
    const images = randomImages(2, 8, 3, 2);
    const out = augmentBatch(tf, images, { ...IDENTITY, horizontalFlip: true }, () => 0.25);
    expect(Array.from(out.dataSync())).toEqual(Array.from(tf.image.flipLeftRight(images).dataSync()));
    const kept = augmentBatch(tf, images, { ...IDENTITY, horizontalFlip: true }, () => 0.75);
    expect(Array.from(kept.dataSync())).toEqual(Array.from(images.dataSync()));
  });

  it('moves a bright pixel by the drawn shift, filling the vacated edge', () => {
    // A draw of 1 gives the top of each range: +0.25 × 16 = 4 px right, 4 px down.
    const image = onePixel(16, 5, 6);
    const options = { ...IDENTITY, widthShift: 0.25, heightShift: 0.25, fillValue: 0.5 };
    const out = augmentBatch(tf, image, options, () => 1 - 1e-12);
    expect(brightestPixel(out)).toEqual([9, 10]);
    expect(out.dataSync()[9 * 16 + 10]).toBeCloseTo(1, 5);
    // The first four columns and rows came from outside the image.
    expect(out.dataSync()[0]).toBeCloseTo(0.5, 5);
    // A draw of 0 shifts the other way.
    expect(brightestPixel(augmentBatch(tf, image, { ...IDENTITY, widthShift: 0.25 }, () => 0))).toEqual([5, 2]);
  });

  it('zooms in about the centre for factors below 1, as Keras does', () => {
    // Output x samples input 7.5 + 0.5 × (x - 7.5), so input (7, 11) is magnified around
    // output (6.5, 14.5): bilinear weights spread it over rows 5–8 and columns 13–15 (the
    // image ends at 15), peaking at 0.75 × 0.75 and summing to 2 × 1.75.
    const image = onePixel(16, 7, 11);
    const out = augmentBatch(tf, image, { ...IDENTITY, zoomRange: [0.5, 0.5] }, () => 0.5);
    const lit = Array.from(out.dataSync()).flatMap((value, index) => (value > 0 ? [[Math.floor(index / 16), index % 16, value]] : []));
    expect(new Set(lit.map(([row]) => row))).toEqual(new Set([5, 6, 7, 8]));
    expect(new Set(lit.map(([, col]) => col))).toEqual(new Set([13, 14, 15]));
    expect(Math.max(...lit.map(([, , value]) => value))).toBeCloseTo(0.5625, 5);
    expect(out.dataSync()[6 * 16 + 14]).toBeCloseTo(0.5625, 5);
    expect(lit.reduce((sum, [, , value]) => sum + value, 0)).toBeCloseTo(3.5, 5);
  });

  it('rotates about the centre', () => {
    // A draw just under 1 is a +90° rotation: out(row, col) = in(col, size - 1 - row).
    const size = 6;
    const image = randomImages(1, size, 1, 9);
    const out = augmentBatch(tf, image, { ...IDENTITY, rotationDegrees: 90 }, () => 1 - 1e-12).dataSync();
    const input = image.dataSync();
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) expect(out[row * size + col]).toBeCloseTo(input[col * size + (size - 1 - row)], 5);
    }
  });

  it('keeps values in [0, 1] and scales brightness within the range', () => {
    const images = randomImages(4, 12, 1, 3);
    const out = augmentBatch(tf, images, { ...RECIPE_AUGMENTATION, rotationDegrees: 0 }, createRandom(5));
    const values = out.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(0.9 + 1e-6);
    const bright = augmentBatch(tf, tf.onesLike(images), { ...IDENTITY, brightnessRange: [1.5, 2] }, createRandom(5));
    expect(Math.max(...bright.dataSync())).toBe(1);
    const dim = augmentBatch(tf, tf.onesLike(images), { ...IDENTITY, brightnessRange: [0.55, 0.9] }, createRandom(5));
    for (let i = 0; i < 4; i++) {
      const factor = dim.dataSync()[i * 144];
      expect(factor).toBeGreaterThanOrEqual(0.55);
      expect(factor).toBeLessThanOrEqual(0.9);
      expect(new Set(dim.dataSync().slice(i * 144, (i + 1) * 144)).size).toBe(1);
    }
  });

  it('gives the same output for the same seed and differs for another seed', () => {
    const images = randomImages(3, 16, 3, 4);
    const first = augmentBatch(tf, images, RECIPE_AUGMENTATION, createRandom(11)).dataSync();
    const again = augmentBatch(tf, images, RECIPE_AUGMENTATION, createRandom(11)).dataSync();
    const other = augmentBatch(tf, images, RECIPE_AUGMENTATION, createRandom(12)).dataSync();
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(Array.from(other)).not.toEqual(Array.from(first));
  });

  it('transforms each image of a batch with its own draw', () => {
    const image = randomImages(1, 10, 1, 6);
    const batch = tf.concat([image, image, image]) as tf.Tensor4D;
    const out = augmentBatch(tf, batch, RECIPE_AUGMENTATION, createRandom(3));
    const [a, b, c] = tf.split(out, 3).map((t) => Array.from(t.dataSync()));
    expect(a).not.toEqual(b);
    expect(b).not.toEqual(c);
    expect(c.some((value) => value > 0)).toBe(true);
  });

  it('does not leak tensors and rejects invalid ranges', () => {
    const images = randomImages(2, 8, 1, 8);
    const before = tf.memory().numTensors;
    const out = augmentBatch(tf, images, RECIPE_AUGMENTATION, createRandom(1));
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
    expect(() => augmentBatch(tf, images, { ...IDENTITY, zoomRange: [0.9, 0.5] }, Math.random)).toThrow(/zoomRange/);
  });
});
