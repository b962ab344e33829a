import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import express from 'express';
import type { Logger } from 'pino';
import type { ArtifactService } from './artifact.service.js';
import type { ArtifactStore } from '../kernel/artifact-store.js';
import { fileRoute, FileRouteError, localPathOf, queryParam, resolveInsideRoots, type Authorize } from '../kernel/served-files.js';

export interface ArtifactDownloadRouteOptions {
  artifacts: ArtifactService;
  log: Logger;
  /** Folders artifacts may be read from: EPOCHAL_DATA_DIR, where workers write them. */
  roots: readonly string[];
  /** The API's key check (read scope); omitted: anyone who reaches the port may read. */
  authorize?: Authorize;
}

/**
 * GET /api/runs/:runId/artifacts/download?uri=<the artifact's uri>
 *
 * A file artifact (a CSV log) as it is; a folder artifact (a TFJS model:
 * model.json and weight shards) as a tar archive streamed file by file.
 * Only artifacts recorded for that run, only local files inside `roots`.
 * Remote artifacts (s3://, model ARNs) are answered 404 with what they are.
 */
export function artifactDownloadRouter(options: ArtifactDownloadRouteOptions): express.Router {
  const router = express.Router();
  router.get('/api/runs/:runId/artifacts/download', fileRoute(options, async (req, res) => {
    const runId = String(req.params.runId);
    const uri = queryParam(req, 'uri');
    if (!(await options.artifacts.isArtifactOf(runId, uri))) throw new FileRouteError(404, `run ${runId} has no artifact ${uri}`);
    if (options.artifacts.store?.owns(uri)) {
      await sendStored(res, options.artifacts.store, uri);
      return;
    }
    const local = localPathOf(uri);
    if (!local) throw new FileRouteError(404, `${uri} is not stored on this server; fetch it from where it lives`);
    const file = await resolveInsideRoots(local, options.roots);
    const name = path.basename(file);
    const stat = await lstat(file);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'private, no-cache');
    if (stat.isDirectory()) {
      res.setHeader('content-type', 'application/x-tar');
      res.setHeader('content-disposition', attachment(`${name}.tar`));
      await writeTar(res, file, name);
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', attachment(name));
    res.setHeader('content-length', String(stat.size));
    await pipeFile(file, res);
    res.end();
  }));
  return router;
}

/** An artifact in the object store: a file as it is, a folder (uri ending in "/") as a tar of its objects. */
async function sendStored(res: express.Response, store: ArtifactStore, uri: string): Promise<void> {
  const objects = await store.list(uri);
  if (objects.length === 0) throw new FileRouteError(404, `${uri} is no longer in the object store`);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, no-cache');
  const folder = uri.endsWith('/');
  const name = path.posix.basename(folder ? uri.slice(0, -1) : uri);
  if (folder) {
    res.setHeader('content-type', 'application/x-tar');
    res.setHeader('content-disposition', attachment(`${name}.tar`));
    const write = (chunk: Buffer) => new Promise<void>((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve)));
    for (const object of objects) {
      await write(tarHeader(`${name}/${object.name}`, object.size, new Date()));
      await pipeStream(await object.read(), res);
      const padding = (512 - (object.size % 512)) % 512;
      if (padding) await write(Buffer.alloc(padding, 0));
    }
    await write(Buffer.alloc(1024, 0));
  } else {
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', attachment(name));
    res.setHeader('content-length', String(objects[0].size));
    await pipeStream(await objects[0].read(), res);
  }
  res.end();
}

function pipeStream(stream: NodeJS.ReadableStream, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(out, { end: false });
  });
}

const attachment = (name: string) => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

function pipeFile(file: string, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(out, { end: false });
  });
}

/** Regular files under `dir`, depth first, as paths relative to it; links are skipped (they could leave the folder). */
async function listFiles(dir: string, prefix = ''): Promise<{ relative: string; size: number; mtime: Date }[]> {
  const files: { relative: string; size: number; mtime: Date }[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), relative)));
    else if (entry.isFile()) {
      const stat = await lstat(path.join(dir, entry.name));
      files.push({ relative, size: stat.size, mtime: stat.mtime });
    }
  }
  return files;
}

/** A POSIX ustar header: enough for model folders (names split into prefix/name when over 100 bytes). */
function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(512, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(base) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new FileRouteError(500, `artifact file name too long for tar: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  header.write(base, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 8, 'ascii');
  header.write(octal(0, 8), 108, 8, 'ascii');
  header.write(octal(0, 8), 116, 8, 'ascii');
  header.write(octal(size, 12), 124, 12, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii');
  header.write('        ', 148, 8, 'ascii'); // checksum is computed with this field as spaces
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

async function writeTar(out: Writable, dir: string, top: string): Promise<void> {
  const write = (chunk: Buffer) => new Promise<void>((resolve) => (out.write(chunk) ? resolve() : out.once('drain', resolve)));
  for (const file of await listFiles(dir)) {
    await write(tarHeader(`${top}/${file.relative}`, file.size, file.mtime));
    await pipeFile(path.join(dir, file.relative), out);
    const padding = (512 - (file.size % 512)) % 512;
    if (padding) await write(Buffer.alloc(padding, 0));
  }
  await write(Buffer.alloc(1024, 0)); // two zero blocks end the archive
}
