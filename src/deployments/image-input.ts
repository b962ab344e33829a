import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { badInput } from '../kernel/errors.js';
import { localPathOf } from '../kernel/served-files.js';
import { parseInput } from '../kernel/validation.js';

export const MAX_IMAGES_PER_PREDICT = 64;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Statistics are computed on at most this many pixels a side: enough for a mean and a contrast, bounded work for huge scans. */
const STATISTICS_SIDE = 512;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const imagesSchema = z
  .array(
    z.object({ uri: z.string().max(4096, 'uri must be at most 4096 characters').nullish(), base64: z.string().nullish() })
      .refine((i) => (i.uri == null) !== (i.base64 == null), 'give exactly one of uri and base64'),
  )
  .min(1, 'give at least one image')
  .max(MAX_IMAGES_PER_PREDICT, `at most ${MAX_IMAGES_PER_PREDICT} images per call`);

/** An image to predict, read and checked: its bytes, their hash and the input statistics the monitor compares. */
export interface InputImage {
  uri: string | null;
  bytes: Buffer;
  contentHash: string;
  stats: ImageStatistics;
}

/** Per-image input statistics, on the greyscale image scaled to 0-1. */
export interface ImageStatistics {
  meanIntensity: number;
  /** Standard deviation of intensity (RMS contrast). */
  contrast: number;
  /** Variance of the 4-neighbour Laplacian: lower is blurrier. */
  sharpness: number;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * predict's `images`, each read (a uri inside `roots`, or base64) and checked
 * to be an image; the first problem is a BAD_USER_INPUT naming the image.
 */
export async function readInputImages(input: unknown, roots: readonly string[]): Promise<InputImage[]> {
  const images = parseInput(imagesSchema, input, 'images');
  return Promise.all(images.map(async (image, i) => {
    const field = `images[${i}]`;
    const bytes = image.uri != null ? await readInsideRoots(image.uri, roots, `${field}.uri`) : decodeBase64(image.base64!, `${field}.base64`);
    const stats = await imageStatistics(bytes).catch((error: Error) => {
      throw badInput(`${field}: the bytes are not an image this server can decode (PNG, JPEG, WebP, GIF, TIFF): ${error.message.split('\n')[0]}`);
    });
    return { uri: image.uri ?? null, bytes, contentHash: sha256(bytes), stats };
  }));
}

function decodeBase64(text: string, field: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0) throw badInput(`${field} is empty`);
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw badInput(`${field} is not base64 (A-Z, a-z, 0-9, +, / and = padding)`);
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw badInput(`${field} is ${bytes.length} bytes; an image may have at most ${MAX_IMAGE_BYTES}`);
  return bytes;
}

/** Reads a file the way dataset images are read, refusing anything outside the import roots and the data folder. */
export async function readInsideRoots(uri: string, roots: readonly string[], field: string): Promise<Buffer> {
  const local = localPathOf(uri);
  if (!local) throw badInput(`${field}: ${uri} is not a local path or file:// URI; send the bytes as base64 instead`);
  let real: string;
  try {
    real = await realpath(local);
  } catch {
    throw badInput(`${field}: ${uri} does not exist or cannot be read`);
  }
  if (!roots.some((root) => real === root || real.startsWith(root + path.sep))) {
    throw badInput(`${field}: ${uri} is outside the folders this server may read (EPOCHAL_IMPORT_ROOTS and EPOCHAL_DATA_DIR)`);
  }
  const bytes = await readFile(real).catch((error: NodeJS.ErrnoException) => {
    throw badInput(`${field}: ${uri} cannot be read (${error.code ?? error.message})`);
  });
  if (bytes.length > MAX_IMAGE_BYTES) throw badInput(`${field}: ${uri} is ${bytes.length} bytes; an image may have at most ${MAX_IMAGE_BYTES}`);
  return bytes;
}

/** Mean intensity, contrast and sharpness of an image's greyscale pixels (alpha dropped), 0-1 scale. */
export async function imageStatistics(bytes: Buffer): Promise<ImageStatistics> {
  const { data, info } = await sharp(bytes, { limitInputPixels: 64 * 1024 * 1024 })
    .removeAlpha()
    .greyscale()
    .resize(STATISTICS_SIDE, STATISTICS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const n = width * height;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i] / 255;
    sum += v;
    sumSq += v * v;
  }
  const meanIntensity = sum / n;
  const contrast = Math.sqrt(Math.max(0, sumSq / n - meanIntensity * meanIntensity));
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = (data[i - 1] + data[i + 1] + data[i - width] + data[i + width] - 4 * data[i]) / 255;
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  const sharpness = count ? lapSq / count - (lapSum / count) ** 2 : 0;
  return { meanIntensity, contrast, sharpness };
}
