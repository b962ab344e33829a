import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import type { Logger } from 'pino';

/**
 * What the file routes (dataset thumbnails, artifact downloads) share: who may
 * call them, which files they may read, and errors as JSON a client can show.
 */

/** Throws when the request may not read (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED); the API's own key check. */
export type Authorize = (req: express.Request) => Promise<void> | void;

export class FileRouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const STATUS_BY_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/** Wraps a handler: refused and failed requests answer `{ error, code? }` with a fitting status, never a stack. */
export function fileRoute(options: { authorize?: Authorize; log: Logger }, handler: (req: express.Request, res: express.Response) => Promise<void>): express.RequestHandler {
  return async (req, res) => {
    try {
      await options.authorize?.(req);
      await handler(req, res);
    } catch (error) {
      const e = error as { status?: number; message?: string; extensions?: { code?: string; http?: { status?: number } } };
      const code = e.extensions?.code;
      const status = error instanceof FileRouteError ? error.status : (e.extensions?.http?.status ?? (code ? STATUS_BY_CODE[code] : undefined) ?? 500);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.status(status).json({ error: status === 500 ? 'internal server error; the server log has the details' : e.message, ...(code ? { code } : {}) });
      if (status === 500) options.log.error({ err: error, path: req.path }, 'file route failed');
    }
  };
}

/** A stored uri (plain path or file://) as a local path; null for s3:// and other remote uris. */
export function localPathOf(uri: string): string | null {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return null;
  return path.resolve(uri);
}

/**
 * The file's real path when it lies inside one of `roots` (after following
 * links): a registered uri is user input, so the routes read only below the
 * folders this server already works in.
 */
export async function resolveInsideRoots(file: string, roots: readonly string[]): Promise<string> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new FileRouteError(404, `${file} does not exist on this server (any more)`);
  }
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  if (!realRoots.some((root) => root && (real === root || real.startsWith(root + path.sep)))) {
    throw new FileRouteError(403, `${file} is outside the folders this server serves files from (EPOCHAL_IMPORT_ROOTS and EPOCHAL_DATA_DIR)`);
  }
  return real;
}

const IMAGE_SIGNATURES: [string, (b: Buffer) => boolean][] = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
  ['image/bmp', (b) => b.subarray(0, 2).toString('latin1') === 'BM'],
];

/** The image type by its first bytes (not its name), or null: only images are served as thumbnails. */
export async function sniffImageType(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    const bytes = head.subarray(0, bytesRead);
    return IMAGE_SIGNATURES.find(([, matches]) => bytesRead >= 4 && matches(bytes))?.[0] ?? null;
  } finally {
    await handle.close();
  }
}

/** One query parameter as a string (Express gives arrays for repeated ones). */
export function queryParam(req: express.Request, name: string, required = true): string {
  const value = req.query[name];
  if (typeof value === 'string' && value.length > 0 && value.length <= 4096) return value;
  if (!required && value === undefined) return '';
  throw new FileRouteError(400, `query parameter "${name}" is required (one value, at most 4096 characters)`);
}
