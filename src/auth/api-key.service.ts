import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isUuid, notFound, EpochalError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import { inTransaction } from '../kernel/sql.js';
import type { PubSub } from '../kernel/pubsub.js';
import { API_KEY_REVOKED_TOPIC } from '../kernel/topics.js';
import type { DataSource } from 'typeorm';
import { SCOPES, type ApiKeyRecord, type Scope } from './api-key.record.js';
import type { ApiKeyRepository } from './api-key.repository.js';

/** Who is calling. Per-project keys will add the projects a principal may see. */
export interface Principal {
  keyId: string | null;
  name: string;
  scope: Scope;
}

/** The caller when authentication is off: everything is allowed, as on a laptop. */
export const LOCAL_PRINCIPAL: Principal = { keyId: null, name: 'local (authentication off)', scope: 'admin' };

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };
export const scopeAllows = (held: Scope, needed: Scope) => RANK[held] >= RANK[needed];

const KEY_PATTERN = /^epk_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{32})$/;
/**
 * How long a look-up is reused. A revocation clears every process's cache at
 * once (an event); this bounds it only when that event was missed.
 */
const CACHE_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

const createKeySchema = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
  scope: z.enum(SCOPES as [Scope, ...Scope[]], { error: 'scope must be read, write or admin' }),
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const unauthenticated = (message: string) => new EpochalError('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (message: string) => new EpochalError('FORBIDDEN', message, { http: { status: 403 } });

export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly revocationHandlers = new Set<(keyId: string | null) => void>();

  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly dataSource: DataSource,
    private readonly pubsub: PubSub,
  ) {
    pubsub.subscribe(API_KEY_REVOKED_TOPIC, ({ body }) => this.revoked(typeof (body as { keyId?: unknown })?.keyId === 'string' ? (body as { keyId: string }).keyId : null));
    // Events missed while the event connection was down: any key may have been revoked meanwhile.
    pubsub.onResync(() => this.revoked(null));
  }

  /**
   * Calls `handler` with the id of each key revoked by any process, once it is
   * revoked (null: some may have been, check every key again). Returns an unsubscribe.
   */
  onRevoked(handler: (keyId: string | null) => void): () => void {
    this.revocationHandlers.add(handler);
    return () => this.revocationHandlers.delete(handler);
  }

  private revoked(keyId: string | null): void {
    this.cache.clear();
    for (const handler of this.revocationHandlers) handler(keyId);
  }

  /** Creates a key; the secret is returned once and only its hash is kept. */
  async create(input: { name: string; scope: string }): Promise<{ key: string; apiKey: ApiKeyRecord }> {
    const { name, scope } = parseInput(createKeySchema, input, 'input');
    const prefix = randomBytes(6).toString('base64url');
    const key = `epk_${prefix}_${randomBytes(24).toString('base64url')}`;
    const apiKey = await this.repository.insert({ name, scope, prefix, keyHash: sha256(key) });
    return { key, apiKey };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.repository.list();
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    // Published with the update, so every API process hears of it exactly when it is committed.
    const row = isUuid(id)
      ? await inTransaction(this.dataSource, async (tx) => {
        const revoked = await this.repository.revoke(tx, id);
        if (revoked) await this.pubsub.publish(tx, API_KEY_REVOKED_TOPIC, { keyId: revoked.id });
        return revoked;
      })
      : null;
    if (!row) throw notFound('API key', id);
    this.revoked(row.id);
    return row;
  }

  /** Whether this header's key was found valid within the cache's lifetime (no look-up needed). */
  isKnownGood(header: string): boolean {
    const cached = this.cache.get(header);
    return !!cached && cached.until > Date.now() && cached.principal !== null;
  }

  /**
   * The principal for an `Authorization` header value ("Bearer epk_…"), or
   * an UNAUTHENTICATED error for a malformed, unknown or revoked key.
   */
  async authenticate(header: string | undefined | null): Promise<Principal | null> {
    if (header == null || header === '') return null;
    const cached = this.cache.get(header);
    if (cached && cached.until > Date.now()) {
      if (!cached.principal) throw unauthenticated('the API key is not valid (unknown or revoked)');
      return cached.principal;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('send the API key as "Authorization: Bearer <key>"');
    const principal = await this.lookup(match[1]);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(header, { principal, until: Date.now() + CACHE_MS });
    if (!principal) throw unauthenticated('the API key is not valid (unknown or revoked)');
    return principal;
  }

  private async lookup(key: string): Promise<Principal | null> {
    const parts = KEY_PATTERN.exec(key);
    if (!parts) return null;
    const row = await this.repository.findByPrefix(parts[1]);
    if (!row || row.revokedAt) return null;
    const expected = Buffer.from(row.keyHash, 'hex');
    const actual = Buffer.from(sha256(key), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const last = this.touched.get(row.id) ?? 0;
    if (Date.now() - last > TOUCH_EVERY_MS) {
      this.touched.set(row.id, Date.now());
      void this.repository.touch(row.id).catch(() => undefined);
    }
    return { keyId: row.id, name: row.name, scope: row.scope };
  }
}

export function assertScope(principal: Principal | null, needed: Scope, what: string): Principal {
  if (!principal) throw unauthenticated(`${what} needs an API key with the ${needed} scope: send "Authorization: Bearer <key>" (create one with npm run keys -- create --scope ${needed} --name <name>)`);
  if (!scopeAllows(principal.scope, needed)) throw forbidden(`${what} needs the ${needed} scope; the key "${principal.name}" has ${principal.scope}`);
  return principal;
}

