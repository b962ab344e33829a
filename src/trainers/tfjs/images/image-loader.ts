import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Tensor4D } from '@tensorflow/tfjs';
import type { TF } from '../engine/tf-namespace.js';

export interface ImageBatchOptions {
  /** Images are resized to imageSize × imageSize, ignoring aspect ratio (Keras `target_size`). */
  imageSize: number;
  /** 1: luminance; 3: sRGB (grayscale inputs are replicated to three channels). */
  channels: 1 | 3;
}

/** Files decoded at once: sharp decodes on libuv's thread pool, so more would only queue. */
const DECODE_CONCURRENCY = 8;

/**
 * Decodes image files into one NHWC float32 batch scaled by 1/255, in `uris`
 * order. Accepts plain paths and file:// URIs; PNG and JPEG (8 or 16 bit,
 * grayscale, RGB, with or without alpha, which is dropped as Keras does).
 * Resizing uses sharp's default (Lanczos) kernel, smoother than Keras' nearest.
 */
export async function loadImageBatch(tf: TF, uris: string[], options: ImageBatchOptions): Promise<Tensor4D> {
  return decodeToBatch(tf, uris.length, options, async (index) => {
    const file = imageUriToPath(uris[index]);
    return { bytes: await readImageFile(file), name: file };
  });
}

/**
 * The same batch from image bytes in memory (predictions): the very decoding,
 * resizing and scaling training uses, so a served model sees what it was
 * trained on. `names` only label errors.
 */
export async function imageBytesToBatch(tf: TF, images: readonly Buffer[], options: ImageBatchOptions, names?: readonly string[]): Promise<Tensor4D> {
  return decodeToBatch(tf, images.length, options, async (index) => ({ bytes: images[index], name: names?.[index] ?? `image ${index}` }));
}

/** Decodes `count` images (read by `source`) into one NHWC float32 batch scaled by 1/255. */
async function decodeToBatch(
  tf: TF,
  count: number,
  options: ImageBatchOptions,
  source: (index: number) => Promise<{ bytes: Buffer; name: string }>,
): Promise<Tensor4D> {
  const { imageSize, channels } = options;
  if (!Number.isInteger(imageSize) || imageSize < 1) throw new Error(`imageSize must be a positive integer, got ${imageSize}`);
  if (channels !== 1 && channels !== 3) throw new Error(`channels must be 1 or 3, got ${channels}`);
  const valuesPerImage = imageSize * imageSize * channels;
  const values = new Float32Array(count * valuesPerImage);
  await forEachWithConcurrency(Array.from({ length: count }, (_, i) => i), DECODE_CONCURRENCY, async (index) => {
    const { bytes, name } = await source(index);
    const pixels = await decodeImageBytes(bytes, name, imageSize, channels);
    const offset = index * valuesPerImage;
    for (let i = 0; i < valuesPerImage; i++) values[offset + i] = pixels[i] / 255;
  });
  return tf.tensor4d(values, [count, imageSize, imageSize, channels], 'float32');
}

/** The local path an image URI names; throws for schemes that cannot be read from disk. */
export function imageUriToPath(uri: string): string {
  if (/^file:/i.test(uri)) {
    try {
      return fileURLToPath(uri);
    } catch (error) {
      throw new Error(`Invalid file URI ${uri}: ${(error as Error).message}`);
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    throw new Error(`Cannot load ${uri}: s3:// images are not readable by the image loader; copy them to a local folder first`);
  }
  if (scheme) throw new Error(`Cannot load ${uri}: unsupported URI scheme ${scheme}:// (use a local path or file:// URI)`);
  return path.resolve(uri);
}

async function readImageFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Image file not found: ${file}`);
    if (code === 'EISDIR') throw new Error(`Image path is a folder, not a file: ${file}`);
    throw new Error(`Cannot read image file ${file}: ${(error as Error).message}`);
  }
}

/** 8-bit pixels, imageSize × imageSize × channels, row-major; `file` names the image in errors. */
async function decodeImageBytes(bytes: Buffer, file: string, imageSize: number, channels: 1 | 3): Promise<Uint8Array> {
  try {
    const colourspace = channels === 1 ? 'b-w' : 'srgb';
    let image = sharp(bytes);
    if ((await image.metadata()).hasAlpha) {
      // Keras (PIL convert) drops alpha and keeps the stored colour; sharp would
      // premultiply before resizing, blackening transparent pixels. So drop it first.
      const flat = await image.removeAlpha().toColourspace(colourspace).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      image = sharp(flat.data, { raw: { width: flat.info.width, height: flat.info.height, channels: flat.info.channels } });
    }
    // toColourspace also reduces 16-bit inputs to 8 bits (scaled, not clipped).
    const { data, info } = await image
      .resize(imageSize, imageSize, { fit: 'fill' })
      .toColourspace(colourspace)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.width !== imageSize || info.height !== imageSize || info.channels !== channels) {
      throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${imageSize}×${imageSize}×${channels}`);
    }
    return data;
  } catch (error) {
    throw new Error(`Cannot decode image ${file}: ${(error as Error).message}`);
  }
}

async function forEachWithConcurrency<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
