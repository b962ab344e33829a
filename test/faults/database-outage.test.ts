import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeEmbeddedCluster, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlOverWebSocket } from '../support/graphql-client.js';

/**
 * While PostgreSQL is down, a key that is not in the look-up cache cannot be
 * checked: that is the server's trouble, not a bad key. Clients must be told
 * to retry (503 SERVICE_UNAVAILABLE, WebSocket close 1013), never 500 or 4403.
 */
const folder = mkdtempSync(path.join(os.tmpdir(), 'epochal-outage-'));
const dataDir = path.join(folder, 'pg');
let database: EmbeddedDatabase;
let withKeys: TestApp;
let withoutKeys: TestApp;
let port: number;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir, port });
  withKeys = await startTestApp({ databaseUrl: database.url, authRequired: true });
  withoutKeys = await startTestApp({ databaseUrl: database.url });
});
afterAll(async () => {
  await withKeys?.stop().catch(() => undefined);
  await withoutKeys?.stop().catch(() => undefined);
  await database?.stop();
  if (removeEmbeddedCluster(dataDir)) rmSync(folder, { recursive: true, force: true });
});

const LIST_RUNS = `{ runs(first: 1) { totalCount } }`;

describe('a database outage is answered as retryable', () => {
  it('HTTP 503 SERVICE_UNAVAILABLE (retryable) and WebSocket close 1013 when the key cannot be checked; the key works again after', async () => {
    const key = (await withKeys.services.apiKeys.create({ name: 'outage', scope: 'write' })).key;
    const runId = (await gql(withoutKeys.url, `mutation { createRun(input: { name: "outage" }) { id } }`)).data!.createRun.id;
    await database.stop();
    try {
      const http = await gql(withKeys.url, LIST_RUNS, {}, { authorization: `Bearer ${key}` });
      expect(http.status).toBe(503);
      expect(http.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      const ws = await gqlOverWebSocket(withKeys.url, LIST_RUNS, {}, `Bearer ${key}`);
      expect(ws.errors![0].extensions?.code).toBe('CLOSE_1013');
      const metrics = await fetch(withKeys.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${key}` } });
      expect(metrics.status).toBe(503);
      // Without keys the resolver meets the outage: the same answer.
      const write = await gql(withoutKeys.url, `mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "l", step: 0, value: 1 }]) { accepted } }`, { id: runId });
      expect(write.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(write.status).toBe(503);
    } finally {
      database = await startEmbeddedPostgres({ dataDir, port });
    }
    let after = await gql(withKeys.url, LIST_RUNS, {}, { authorization: `Bearer ${key}` });
    for (let i = 0; i < 100 && after.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await gql(withKeys.url, LIST_RUNS, {}, { authorization: `Bearer ${key}` });
    }
    expect(after.data?.runs.totalCount).toBe(1);
  });
});
