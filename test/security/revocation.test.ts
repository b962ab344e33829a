import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/database.js';
import { gql, untilLive } from '../support/graphql-client.js';

/**
 * Two API processes on one database: a key revoked through one must lose its
 * open subscriptions on both (close 4403), not keep receiving events.
 */
let apiA: TestApp;
let apiB: TestApp;
let admin: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  apiA = await startTestApp({ databaseUrl, authRequired: true });
  apiB = await startTestApp({ databaseUrl, authRequired: true });
  admin = (await apiA.services.apiKeys.create({ name: 'admin', scope: 'admin' })).key;
});
afterAll(async () => {
  await apiA?.stop();
  await apiB?.stop();
});

/** A subscriber to runStatusChanged with `key`, recording its events and how its socket closed. */
function subscriber(url: string, key: string) {
  const state = { events: 0, closeCode: null as number | null };
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0,
    on: { closed: (event) => void (state.closeCode = (event as { code: number }).code) },
  });
  client.subscribe({ query: 'subscription { runStatusChanged { status } }' }, { next: () => void state.events++, error: () => undefined, complete: () => undefined });
  return { state, client };
}

/** A run created and finished: one runStatusChanged event. */
async function createRun(name: string) {
  const auth = { authorization: `Bearer ${admin}` };
  const id = (await gql(apiA.url, `mutation($n: String!) { createRun(input: { name: $n }) { id } }`, { n: name }, auth)).data!.createRun.id;
  await gql(apiA.url, `mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id }, auth);
}

describe('revoking a key', () => {
  it('closes its open sockets (4403) on every API process, and no event reaches them after', async () => {
    const { key, apiKey } = (await gql(apiA.url, `mutation { createApiKey(name: "doomed", scope: read) { key apiKey { id } } }`, {}, { authorization: `Bearer ${admin}` })).data!.createApiKey;
    const onA = subscriber(apiA.url, key);
    const onB = subscriber(apiB.url, key);
    await untilLive((i) => createRun(`probe-${i}`), () => onA.state.events > 0 && onB.state.events > 0);

    const revoked = await gql(apiA.url, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id }, { authorization: `Bearer ${admin}` });
    expect(revoked.data?.revokeApiKey.revokedAt).toBeTruthy();
    // Without the close, events would keep arriving on both sockets for as long as they stay open.
    await expect.poll(() => [onA.state.closeCode, onB.state.closeCode], { timeout: 20_000 }).toEqual([4403, 4403]);
    const seen = [onA.state.events, onB.state.events];
    await createRun('after-revocation');
    expect([onA.state.events, onB.state.events]).toEqual(seen);
    await Promise.all([onA.client.dispose(), onB.client.dispose()]);
  });

  it('leaves the sockets of other keys open', async () => {
    const other = (await apiA.services.apiKeys.create({ name: 'other', scope: 'read' })).key;
    const doomed = (await gql(apiA.url, `mutation { createApiKey(name: "doomed-2", scope: read) { apiKey { id } } }`, {}, { authorization: `Bearer ${admin}` })).data!.createApiKey.apiKey;
    const watcher = subscriber(apiB.url, other);
    await untilLive((i) => createRun(`other-${i}`), () => watcher.state.events > 0);
    await gql(apiA.url, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: doomed.id }, { authorization: `Bearer ${admin}` });
    const before = watcher.state.events;
    await untilLive((i) => createRun(`still-${i}`), () => watcher.state.events > before);
    expect(watcher.state.closeCode).toBeNull();
    await watcher.client.dispose();
  });
});
