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

/** A cursor under an order: the order it was made for, the run's sort value and sequence number. */
export function encodeOrderedRunCursor(order: string, value: number | null, seq: string): string {
  return Buffer.from(`runo:${JSON.stringify({ o: order, v: value, s: seq })}`).toString('base64url');
}

export function decodeOrderedRunCursor(cursor: string, order: string): { value: number | null; seq: string } {
  const text = Buffer.from(cursor, 'base64url').toString();
  let parsed: { o?: unknown; v?: unknown; s?: unknown } | null = null;
  try {
    parsed = text.startsWith('runo:') ? JSON.parse(text.slice(5)) : null;
  } catch {
    parsed = null;
  }
  const valid = parsed && typeof parsed.s === 'string' && /^\d{1,19}$/.test(parsed.s) && (parsed.v === null || typeof parsed.v === 'number');
  if (!valid) throw badInput(`after: "${cursor.slice(0, 40)}" is not a cursor from this API; pass an endCursor or edge cursor back unchanged`);
  if (parsed!.o !== order) throw badInput('after: this cursor was made for another orderBy; pass the same filter and orderBy as the page it came from');
  return { value: parsed!.v as number | null, seq: parsed!.s as string };
}
