import { getOperationAST, Kind, type DocumentNode } from 'graphql';
import type { Scope } from './api-key.record.js';
import { assertScope, LOCAL_PRINCIPAL, type ApiKeyService, type Principal } from './api-key.service.js';
import { RateLimiter } from './rate-limiter.js';
import { badInput } from '../kernel/errors.js';
import { isDatabaseUnavailable, serviceUnavailable } from '../kernel/unavailable.js';

/**
 * Failed key checks allowed per client address: each unknown key costs a
 * database look-up, so guessing (or flooding) is slowed to this rate.
 */
export const BAD_KEY_LIMIT = { perSecond: 1, burst: 20 };

/** Root fields that manage keys: admin only, whatever the operation type. */
const ADMIN_FIELDS = new Set(['apiKeys', 'createApiKey', 'revokeApiKey']);

/**
 * Admits an operation or refuses it, the same way for HTTP and WebSocket:
 * who is calling (API key), may they do this (scope), and not too often (rate).
 */
export class OperationGuard {
  private readonly badKeys: RateLimiter;

  constructor(
    private readonly apiKeys: ApiKeyService,
    readonly authRequired: boolean,
    private readonly rateLimiter: RateLimiter | null,
    badKeyLimit = BAD_KEY_LIMIT,
  ) {
    this.badKeys = new RateLimiter(badKeyLimit.perSecond, badKeyLimit.burst, 'failed API key checks from one address');
  }

  /**
   * The caller behind an Authorization value; null when none was sent and auth
   * is on. `address` (the client's, from its socket) is refused RATE_LIMITED
   * while it has failed too many key checks, before any look-up.
   */
  async principal(authorization: string | undefined | null, address: string): Promise<Principal | null> {
    if (!this.authRequired) return LOCAL_PRINCIPAL;
    if (authorization && !this.apiKeys.isKnownGood(authorization)) this.badKeys.check(address);
    try {
      return await this.apiKeys.authenticate(authorization);
    } catch (error) {
      // The key could not be checked, which says nothing about the key: retry later, not "bad key".
      if (isDatabaseUnavailable(error)) throw serviceUnavailable();
      if ((error as { extensions?: { code?: unknown } }).extensions?.code === 'UNAUTHENTICATED') this.badKeys.spend(address);
      throw error;
    }
  }

  /** See ApiKeyService.onRevoked; never called when authentication is off. */
  onRevoked(handler: (keyId: string | null) => void): () => void {
    return this.authRequired ? this.apiKeys.onRevoked(handler) : () => undefined;
  }

  /**
   * Plain HTTP reads outside GraphQL (/metrics, thumbnails, artifact downloads):
   * a read key when authentication is on, and the same rate limit.
   */
  admitRead(principal: Principal | null, what: string, caller: string): void {
    this.admitScope(principal, 'read', what, caller);
  }

  /** Plain HTTP writes outside GraphQL (the MLflow-compatible API): a write key when authentication is on. */
  admitScope(principal: Principal | null, needed: Scope, what: string, caller: string): void {
    if (this.authRequired) assertScope(principal, needed, what);
    this.rateLimiter?.take(principal?.keyId ?? caller);
  }

  /** Throws UNAUTHENTICATED, FORBIDDEN or RATE_LIMITED; returns the scope the operation needed. */
  admit(principal: Principal | null, document: DocumentNode, operationName: string | null | undefined, caller: string): Scope {
    const operation = getOperationAST(document, operationName ?? undefined);
    // 400, as GraphQL over HTTP says for a request that names no runnable operation (thrown here, Apollo would answer 500).
    if (!operation) {
      const why = operationName ? `the document has no operation named "${operationName}"` : 'the document has several operations: send operationName to pick one';
      throw badInput(why, { http: { status: 400 } });
    }
    const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    const needed: Scope = rootFields.some((f) => ADMIN_FIELDS.has(f)) ? 'admin' : operation.operation === 'mutation' ? 'write' : 'read';
    if (this.authRequired) assertScope(principal, needed, `this ${operation.operation}`);
    this.rateLimiter?.take(principal?.keyId ?? caller);
    return needed;
  }
}
