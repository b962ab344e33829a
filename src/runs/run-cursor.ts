import { badInput } from '../kernel/errors.js';

/** Opaque cursors: clients pass them back, never build them. */
export function encodeRunCursor(seq: string): string {
  return Buffer.from(`run:${seq}`).toString('base64url');
}

export function decodeRunCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^run:(\d{1,19})$/.exec(text);
  // 19 digits may still pass bigint's maximum, which PostgreSQL would refuse.
  if (!match || BigInt(match[1]) > 2n ** 63n - 1n) throw badInput(`after: "${cursor.slice(0, 40)}" is not a cursor from this API; pass an endCursor or edge cursor back unchanged`);
  return match[1];
}
