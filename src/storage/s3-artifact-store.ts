import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ArtifactStore } from '../kernel/artifact-store.js';

export interface S3StoreSettings {
  bucket: string;
  /** Key prefix, e.g. "epochal/"; artifacts go under <prefix>artifacts/<runId>/. */
  prefix: string;
  region?: string | null;
  endpoint?: string | null;
  forcePathStyle?: boolean;
}

/** Artifacts in an S3 bucket (or any S3-compatible store), under one prefix. */
export class S3ArtifactStore implements ArtifactStore {
  readonly location: string;

  constructor(private readonly settings: S3StoreSettings, private readonly client: S3Client = defaultClient(settings)) {
    this.location = `s3://${settings.bucket}/${settings.prefix}`;
  }

  async put(localPath: string, runId: string, name: string): Promise<string> {
    const base = `${this.settings.prefix}artifacts/${runId}/${name}`;
    if (!(await stat(localPath)).isDirectory()) {
      await this.upload(localPath, base);
      return `s3://${this.settings.bucket}/${base}`;
    }
    for (const relative of await filesUnder(localPath)) await this.upload(path.join(localPath, relative), `${base}/${relative}`);
    return `s3://${this.settings.bucket}/${base}/`;
  }

  async fetch(uri: string, dir: string): Promise<string> {
    const key = this.keyOf(uri);
    if (!key.endsWith('/')) {
      const file = path.join(dir, path.posix.basename(key));
      await mkdir(dir, { recursive: true });
      await this.download(key, file);
      return file;
    }
    for (const object of await this.objects(key)) {
      const file = path.join(dir, ...object.slice(key.length).split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await this.download(object, file);
    }
    return dir;
  }

  owns(uri: string): boolean {
    return uri.startsWith(`s3://${this.settings.bucket}/${this.settings.prefix}artifacts/`);
  }

  async removeRun(runId: string): Promise<void> {
    const keys = await this.objects(`${this.settings.prefix}artifacts/${runId}/`);
    for (let i = 0; i < keys.length; i += 1000) {
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) } }));
    }
  }

  async list(uri: string) {
    const key = this.keyOf(uri);
    const keys = key.endsWith('/') ? await this.objects(key, true) : [[key, -1] as const];
    return Promise.all(keys.map(async ([object, size]) => ({
      name: key.endsWith('/') ? object.slice(key.length) : path.posix.basename(object),
      size: size >= 0 ? size : (await this.get(object)).ContentLength ?? 0,
      read: async () => (await this.get(object)).Body as NodeJS.ReadableStream,
    })));
  }

  private keyOf(uri: string): string {
    if (!this.owns(uri)) throw new Error(`${uri} is not in the artifact store ${this.location}`);
    return uri.slice(`s3://${this.settings.bucket}/`.length);
  }

  private async upload(file: string, key: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: await readFile(file) }));
  }

  private get(key: string) {
    return this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  private async download(key: string, file: string): Promise<void> {
    const body = (await this.get(key)).Body as Readable;
    await pipeline(body, createWriteStream(file));
  }

  /** Every key under a prefix (with sizes when asked). */
  private async objects(prefix: string): Promise<string[]>;
  private async objects(prefix: string, withSizes: true): Promise<(readonly [string, number])[]>;
  private async objects(prefix: string, withSizes = false): Promise<(string | readonly [string, number])[]> {
    const out: (string | readonly [string, number])[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push(withSizes ? [o.Key, o.Size ?? 0] as const : o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
}

function defaultClient(settings: S3StoreSettings): S3Client {
  return new S3Client({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint
      ? { endpoint: settings.endpoint, requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
      : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
  });
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

