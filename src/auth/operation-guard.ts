import { getOperationAST, Kind, type DocumentNode } from 'graphql';
import type { Scope } from './api-key.record.js';
import { assertScope, LOCAL_PRINCIPAL, type ApiKeyService, type Principal } from './api-key.service.js';
import type { RateLimiter } from './rate-limiter.js';
import { badInput } from '../kernel/errors.js';

/** Root fields that manage keys: admin only, whatever the operation type. */
const ADMIN_FIELDS = new Set(['apiKeys', 'createApiKey', 'revokeApiKey']);

/**
 * Admits an operation or refuses it, the same way for HTTP and WebSocket:
 * who is calling (API key), may they do this (scope), and not too often (rate).
 */
export class OperationGuard {
  constructor(
    private readonly apiKeys: ApiKeyService,
    readonly authRequired: boolean,
    private readonly rateLimiter: RateLimiter | null,
  ) {}

  /** The caller behind an Authorization value; null when none was sent and auth is on. */
  async principal(authorization: string | undefined | null): Promise<Principal | null> {
    if (!this.authRequired) return LOCAL_PRINCIPAL;
    return this.apiKeys.authenticate(authorization);
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
    if (!operation) throw badInput('the document has no operation of that name (or several, and no operationName)');
    const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    const needed: Scope = rootFields.some((f) => ADMIN_FIELDS.has(f)) ? 'admin' : operation.operation === 'mutation' ? 'write' : 'read';
    if (this.authRequired) assertScope(principal, needed, `this ${operation.operation}`);
    this.rateLimiter?.take(principal?.keyId ?? caller);
    return needed;
  }
}
