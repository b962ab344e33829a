import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ProgressReporter } from './synthetic-images.js';
import type { LabeledImage } from './dataset.record.js';

/**
 * Files hashed at once. Each hash streams its file in 64 KiB chunks, so memory stays bounded
 * whatever the image sizes; a few files in flight keep the disk busy while the (single) main
 * thread hashes.
 */
export const HASH_CONCURRENCY = 4;

/** SHA-256 of a file's bytes, hex, read as a stream. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(file), hash);
  } catch (error) {
    throw new Error(`Cannot read ${file} to hash it: ${(error as Error).message}`);
  }
  return hash.digest('hex');
}

/**
 * Sets `contentHash` on every image (by its `uri`, a local path) with at most `concurrency`
 * files open, reporting progress; returns the same array.
 */
export async function hashImageFiles(
  images: LabeledImage[],
  options: { concurrency?: number; progress?: ProgressReporter } = {},
): Promise<LabeledImage[]> {
  const concurrency = options.concurrency ?? HASH_CONCURRENCY;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < images.length) {
      const image = images[next++];
      image.contentHash = await sha256OfFile(image.uri);
      done++;
      const progress = options.progress;
      if (progress && (done % progress.every === 0 || done === images.length)) progress.report(done, images.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
  return images;
}
