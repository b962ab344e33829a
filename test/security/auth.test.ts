import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOverWebSocket } from '../support/graphql-client.js';

const app = useTestApp({ authRequired: true });
const keys: Record<'read' | 'write' | 'admin', string> = { read: '', write: '', admin: '' };
const bearer = (key: string) => `Bearer ${key}`;

beforeAll(async () => {
  for (const scope of ['read', 'write', 'admin'] as const) keys[scope] = (await app.services.apiKeys.create({ name: `test-${scope}`, scope })).key;
});

/** The same operation over HTTP and over graphql-ws, with the same key. */
async function both(query: string, key?: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = key ? { authorization: bearer(key) } : {};
  const http = await gql(app.url, query, variables, headers);
  const ws = await gqlOverWebSocket(app.url, query, variables, key ? bearer(key) : undefined);
  return { http, ws };
}

const CREATE_RUN = `mutation { createRun(input: { name: "authz" }) { id } }`;
const LIST_RUNS = `{ runs(first: 1) { totalCount } }`;
const CREATE_KEY = `mutation { createApiKey(name: "x", scope: read) { key } }`;

describe('API keys and scopes', () => {
  it('refuse an operation without a key: 401 over HTTP, connection refused over WebSocket', async () => {
    const { http, ws } = await both(LIST_RUNS);
    expect(http.status).toBe(401);
    expect(errorCode(http)).toBe('UNAUTHENTICATED');
    expect(http.errors![0].message).toMatch(/Authorization: Bearer/);
    expect(errorCode(ws)).toBe('CLOSE_4403');
  });

  it('refuse a forged or malformed key the same way', async () => {
    for (const key of ['epk_AAAAAAAA_' + 'B'.repeat(32), 'not-a-key', keys.read.slice(0, -1) + 'x']) {
      const { http, ws } = await both(LIST_RUNS, key);
      expect(errorCode(http)).toBe('UNAUTHENTICATED');
      expect(errorCode(ws)).toBe('CLOSE_4403');
    }
  });

  it('let a read key query but not mutate, over both transports', async () => {
    const read = await both(LIST_RUNS, keys.read);
    expect(read.http.data?.runs.totalCount).toBe(0);
    expect(read.ws.data?.runs.totalCount).toBe(0);
    const write = await both(CREATE_RUN, keys.read);
    expect(write.http.status).toBe(403);
    expect(errorCode(write.http)).toBe('FORBIDDEN');
    expect(errorCode(write.ws)).toBe('FORBIDDEN');
    expect(write.http.errors![0].message).toMatch(/needs the write scope; the key "test-read" has read/);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM runs');
    expect(n).toBe(0);
  });

  it('let a write key mutate and start training, but not manage keys', async () => {
    const { http, ws } = await both(CREATE_RUN, keys.write);
    expect(http.data?.createRun.id).toBeTruthy();
    expect(ws.data?.createRun.id).toBeTruthy();
    const manage = await both(CREATE_KEY, keys.write);
    expect(errorCode(manage.http)).toBe('FORBIDDEN');
    expect(errorCode(manage.ws)).toBe('FORBIDDEN');
    expect(errorCode(await gql(app.url, `{ apiKeys { id } }`, {}, { authorization: bearer(keys.write) }))).toBe('FORBIDDEN');
  });

  it('let an admin create, list and revoke keys; a revoked key stops working, also on an open connection', async () => {
    const created = await gql(app.url, `mutation { createApiKey(name: "ci", scope: write) { key apiKey { id scope } } }`, {}, { authorization: bearer(keys.admin) });
    const { key, apiKey } = created.data!.createApiKey;
    expect(apiKey.scope).toBe('write');
    const listed = await gql(app.url, `{ apiKeys { name scope revokedAt } }`, {}, { authorization: bearer(keys.admin) });
    expect(listed.data!.apiKeys.map((k: { name: string }) => k.name)).toContain('ci');
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await gql(app.url, LIST_RUNS, {}, { authorization: bearer(key) })).data?.runs).toBeTruthy();
    await gql(app.url, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id }, { authorization: bearer(keys.admin) });
    expect(errorCode(await gql(app.url, LIST_RUNS, {}, { authorization: bearer(key) }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gqlOverWebSocket(app.url, LIST_RUNS, {}, bearer(key)))).toBe('CLOSE_4403');
  });

  it('stores keys only as hashes', async () => {
    const rows = await app.dataSource.query('SELECT key_hash, prefix FROM api_keys');
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      for (const key of Object.values(keys)) expect(key).not.toContain(row.key_hash);
    }
  });

  it('hides field suggestions when auth is on', async () => {
    const result = await gql(app.url, `{ runz { totalCount } }`, {}, { authorization: bearer(keys.read) });
    expect(result.errors![0].message).not.toMatch(/Did you mean/);
  });

  it('protects /metrics with a read key', async () => {
    expect((await fetch(app.url.replace('/graphql', '/metrics'))).status).toBe(401);
    const ok = await fetch(app.url.replace('/graphql', '/metrics'), { headers: { authorization: bearer(keys.read) } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/epochal_graphql_operations_total/);
  });
});
