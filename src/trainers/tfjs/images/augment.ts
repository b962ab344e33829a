import type { Tensor4D } from '@tensorflow/tfjs';
import type { TF } from '../engine/tf-namespace.js';

/**
 * Random augmentation of training images with the semantics of Keras'
 * ImageDataGenerator (the paper's tool). Factors are drawn per image. The
 * study's values are `RECIPE_AUGMENTATION` in src/trainers/tfjs/tfjs-config.ts.
 */
export interface AugmentationOptions {
  /** Zoom factors are drawn independently for x and y from this range; as in Keras, < 1 zooms in. */
  zoomRange: readonly [number, number];
  /** Mirror left-right with probability 0.5. */
  horizontalFlip: boolean;
  /** Rotation uniform in ±rotationDegrees. */
  rotationDegrees: number;
  /** Horizontal shift uniform in ±widthShift × width. */
  widthShift: number;
  /** Vertical shift uniform in ±heightShift × height. */
  heightShift: number;
  /** Pixel value (on the 0..1 scale) for points that come from outside the image. */
  fillValue: number;
  /** Pixel values are multiplied by a factor uniform in this range, then clipped to [0, 1]. */
  brightnessRange: readonly [number, number];
}

/** The random draws for one image; exported so the trainer can log or test them. */
export interface AffineDraw {
  zoomX: number;
  zoomY: number;
  rotationRadians: number;
  /** Content moves right by this many pixels (negative: left). */
  shiftX: number;
  /** Content moves down by this many pixels (negative: up). */
  shiftY: number;
  flip: boolean;
  brightness: number;
}

/**
 * Draws one image's parameters. Every value is always drawn, in a fixed order
 * (zoomX, zoomY, rotation, shiftX, shiftY, flip, brightness), so the stream of
 * a seeded generator does not depend on which options are switched on.
 */
export function drawAugmentation(options: AugmentationOptions, width: number, height: number, random: () => number): AffineDraw {
  const uniform = (low: number, high: number) => low + (high - low) * random();
  const zoomX = uniform(options.zoomRange[0], options.zoomRange[1]);
  const zoomY = uniform(options.zoomRange[0], options.zoomRange[1]);
  const rotationDegrees = uniform(-options.rotationDegrees, options.rotationDegrees);
  const shiftX = uniform(-options.widthShift, options.widthShift) * width;
  const shiftY = uniform(-options.heightShift, options.heightShift) * height;
  const flipDraw = random();
  const brightness = uniform(options.brightnessRange[0], options.brightnessRange[1]);
  return {
    zoomX,
    zoomY,
    rotationRadians: (rotationDegrees * Math.PI) / 180,
    shiftX,
    shiftY,
    flip: options.horizontalFlip && flipDraw < 0.5,
    brightness,
  };
}

/**
 * The 8-value projective transform for `tf.image.transform`, which maps each
 * output pixel (x, y) to the input point it samples. Like Keras, rotation and
 * zoom are about the image centre, and the flip is applied after them
 * (mirroring the transformed image), folded into the same matrix.
 */
export function affineTransformMatrix(draw: AffineDraw, width: number, height: number): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(draw.rotationRadians);
  const sin = Math.sin(draw.rotationRadians);
  const mirror = draw.flip ? -1 : 1;
  // input - c = R · Z · M · (output - c) - shift, with M the mirror.
  const a0 = cos * draw.zoomX * mirror;
  const a1 = -sin * draw.zoomY;
  const b0 = sin * draw.zoomX * mirror;
  const b1 = cos * draw.zoomY;
  const a2 = cx - (a0 * cx + a1 * cy) - draw.shiftX;
  const b2 = cy - (b0 * cx + b1 * cy) - draw.shiftY;
  return [a0, a1, a2, b0, b1, b2, 0, 0];
}

function validateOptions(options: AugmentationOptions): void {
  const [zoomLow, zoomHigh] = options.zoomRange;
  if (!(zoomLow > 0 && zoomHigh >= zoomLow)) {
    throw new Error(`zoomRange must be [low, high] with 0 < low <= high, got [${zoomLow}, ${zoomHigh}]`);
  }
  const [brightLow, brightHigh] = options.brightnessRange;
  if (!(brightLow >= 0 && brightHigh >= brightLow)) {
    throw new Error(`brightnessRange must be [low, high] with 0 <= low <= high, got [${brightLow}, ${brightHigh}]`);
  }
  for (const key of ['rotationDegrees', 'widthShift', 'heightShift'] as const) {
    if (!(options[key] >= 0)) throw new Error(`${key} must be 0 or more, got ${options[key]}`);
  }
  if (!Number.isFinite(options.fillValue)) throw new Error(`fillValue must be a number, got ${options.fillValue}`);
}

/**
 * Augments a batch of NHWC images scaled to [0, 1]: per image a random affine
 * transform (bilinear, constant fill), then a brightness factor, clipped to
 * [0, 1]. Returns a new tensor; `images` is not disposed.
 */
export function augmentBatch(tf: TF, images: Tensor4D, options: AugmentationOptions, random: () => number): Tensor4D {
  validateOptions(options);
  const [batch, height, width, channels] = images.shape;
  const draws = Array.from({ length: batch }, () => drawAugmentation(options, width, height, random));
  if (batch === 0) return images.clone();
  return tf.tidy(() => {
    // One image per call: the CPU backend's Transform kernel (tfjs 4.22) only
    // transforms the first image of a batch and fills the others.
    const transformed = draws.map((draw, index) => {
      const image = tf.slice(images, [index, 0, 0, 0], [1, height, width, channels]);
      const matrix = tf.tensor2d([affineTransformMatrix(draw, width, height)], [1, 8], 'float32');
      return tf.image.transform(image, matrix, 'bilinear', 'constant', options.fillValue);
    });
    const stacked = transformed.length === 1 ? transformed[0] : tf.concat(transformed, 0);
    const factors = tf.tensor4d(draws.map((draw) => draw.brightness), [batch, 1, 1, 1], 'float32');
    return tf.clipByValue(tf.mul(stacked, factors), 0, 1) as Tensor4D;
  });
}
