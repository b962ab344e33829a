import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp, { type Metadata } from 'sharp';
import { awsErrorName } from './aws-errors.js';
import { callAws, type CallPolicy } from './aws-call.js';

/** Rekognition Custom Labels' image limits (see docs/rekognition.md). */
export const MIN_SIDE = 64;
export const MAX_SIDE = 4096;
export const MAX_ASPECT = 20;
export const MAX_BYTES = 15 * 1024 * 1024;

export interface PreparedImage {
  bytes: Buffer;
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  sha256: string;
}

export interface UploadedImage {
  /** The dataset's own uri. */
  uri: string;
  label: string;
  split: string;
  key: string;
  sourceRef: string;
}

/**
 * Makes an image acceptable to Custom Labels: PNG and JPEG stay as they are
 * when within limits; other formats become PNG; sides under 64 px are scaled up
 * (aspect kept), sides over 4096 px scaled down. Deterministic, so the same
 * source always gives the same bytes and the same content hash.
 */
export async function prepareImage(source: Buffer, what: string): Promise<PreparedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(source).metadata();
  } catch (error) {
    throw new Error(`${what} is not an image sharp can read (${(error as Error).message}); Rekognition takes PNG or JPEG`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw new Error(`${what} has no size; Rekognition takes PNG or JPEG images`);
  if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT) {
    throw new Error(`${what} is ${width}×${height} px: Rekognition refuses aspect ratios above ${MAX_ASPECT}:1`);
  }
  const keepFormat = meta.format === 'png' || meta.format === 'jpeg';
  let scale = 1;
  if (Math.min(width, height) < MIN_SIDE) scale = MIN_SIDE / Math.min(width, height);
  if (Math.max(width, height) * scale > MAX_SIDE) scale = MAX_SIDE / Math.max(width, height);
  let bytes = source;
  let format: 'png' | 'jpeg' = meta.format === 'jpeg' ? 'jpeg' : 'png';
  let outWidth = width;
  let outHeight = height;
  if (scale !== 1 || !keepFormat) {
    // Clamped: rounding must not leave a side at 63 px (the aspect limit keeps both in range).
    outWidth = Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.round(width * scale)));
    outHeight = Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.round(height * scale)));
    const pipeline = sharp(source).resize(outWidth, outHeight, { fit: 'fill', kernel: scale > 1 ? 'cubic' : 'lanczos3' });
    bytes = format === 'jpeg' ? await pipeline.jpeg({ quality: 95 }).toBuffer() : await pipeline.png().toBuffer();
  }
  if (bytes.length > MAX_BYTES) throw new Error(`${what} is ${(bytes.length / 1e6).toFixed(1)} MB after preparation; Rekognition takes at most 15 MB per image`);
  return { bytes, format, width: outWidth, height: outHeight, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** file paths, file:// and s3:// URIs (read with the same S3 client). */
export async function readImageSource(uri: string, s3: S3Client): Promise<Buffer> {
  const s3Match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (s3Match) {
    const object = await s3.send(new GetObjectCommand({ Bucket: s3Match[1], Key: s3Match[2] }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }
  return readFile(uri.startsWith('file://') ? fileURLToPath(uri) : uri);
}

export interface UploadOptions {
  s3: S3Client;
  bucket: string;
  prefix: string;
  policy: CallPolicy;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface UploadResult {
  images: UploadedImage[];
  uploaded: number;
  /** Already in the bucket under the same content hash. */
  skipped: number;
  bytesUploaded: number;
}

/**
 * Uploads each image once per content: the key is the sha256 of the prepared
 * bytes, so an object already there (from this run's retry, or another run on
 * the same images) is not sent again.
 */
export async function uploadImages(images: readonly { uri: string; label: string; split: string }[], options: UploadOptions): Promise<UploadResult> {
  const { s3, bucket, prefix, policy } = options;
  const result: UploadResult = { images: new Array(images.length), uploaded: 0, skipped: 0, bytesUploaded: 0 };
  const inFlight = new Map<string, Promise<boolean>>(); // one upload per key even when two images share bytes
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < images.length) {
      const index = next++;
      const image = images[index];
      if (await policy.isCancelled()) return;
      const source = await readImageSource(image.uri, s3).catch((error: Error) => {
        throw new Error(`cannot read the dataset image ${image.uri}: ${error.message}`);
      });
      const prepared = await prepareImage(source, `the dataset image ${image.uri}`);
      const key = `${prefix}images/${prepared.sha256}.${prepared.format === 'jpeg' ? 'jpg' : 'png'}`;
      let upload = inFlight.get(key);
      if (!upload) {
        upload = putIfAbsent(s3, bucket, key, prepared, policy);
        inFlight.set(key, upload);
        if (await upload) {
          result.uploaded++;
          result.bytesUploaded += prepared.bytes.length;
        } else result.skipped++;
      } else {
        await upload;
        result.skipped++;
      }
      result.images[index] = { ...image, key, sourceRef: `s3://${bucket}/${key}` };
      await options.onProgress?.(++done, images.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, images.length) }, worker));
  return result;
}

/** True when it uploaded, false when the object was already there. */
async function putIfAbsent(s3: S3Client, bucket: string, key: string, image: PreparedImage, policy: CallPolicy): Promise<boolean> {
  const exists = await callAws(policy, 'HeadObject', `checking s3://${bucket}/${key}`, async () => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || awsErrorName(error) === 'NotFound' || awsErrorName(error) === 'NoSuchKey') return false;
      throw error;
    }
  });
  if (exists) return false;
  await callAws(policy, 'PutObject', `uploading an image to s3://${bucket}/${key}`, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: image.bytes,
        ContentType: image.format === 'jpeg' ? 'image/jpeg' : 'image/png',
        Metadata: { sha256: image.sha256 },
      }),
    ),
  );
  return true;
}
