import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, useTestApp } from '../support/test-app.js';
import { OPERATION_LIMITS } from '../../src/graphql/operation-limits.js';
import { errorCode, gql, gqlOverWebSocket, wsClient } from '../support/graphql-client.js';
import { createRun, withKey } from '../support/testkit.js';

const app = useTestApp({
  authRequired: true,
  rateLimit: { perSecond: 0, burst: 1 },
  socketLimits: { maxSubscriptionsPerConnection: 3, maxConnectionsPerKey: 2 },
  maxBodyBytes: 256 * 1024,
  // Lower than the default 10, so our (shallow) schema can show it.
  operationLimits: { ...OPERATION_LIMITS, maxDepth: 5 },
});
let key: string;
const auth = () => `Bearer ${key}`;

beforeAll(async () => {
  key = (await app.services.apiKeys.create({ name: 'limits', scope: 'write' })).key;
});

async function refusedOnBoth(query: string, variables?: Record<string, unknown>) {
  const http = await gql(app.url, query, variables, { authorization: auth() });
  const ws = await gqlOverWebSocket(app.url, query, variables, auth());
  expect(http.errors?.length, `HTTP accepted: ${JSON.stringify(http).slice(0, 200)}`).toBeGreaterThan(0);
  expect(ws.errors?.length, `WebSocket accepted: ${JSON.stringify(ws).slice(0, 200)}`).toBeGreaterThan(0);
  expect(http.data ?? null).toBeNull();
  expect(ws.data ?? null).toBeNull();
  return { http, ws };
}

describe('operation limits hold on HTTP and on graphql-ws alike', () => {
  it('depth (followed through fragments)', async () => {
    const ok = `{ runs { edges { node { dataset { id } } } } }`;
    expect((await gql(app.url, ok, {}, { authorization: auth() })).errors).toBeUndefined();
    const { http, ws } = await refusedOnBoth(`{ runs { edges { node { ...deep } } } } fragment deep on Run { dataset { classCounts { label } } }`);
    expect(http.errors![0].message).toMatch(/depth/i);
    expect(ws.errors![0].message).toMatch(/depth/i);
  });

  it('aliases', async () => {
    const bomb = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`;
    const { http, ws } = await refusedOnBoth(bomb);
    expect(http.errors![0].message).toMatch(/aliases/i);
    expect(ws.errors![0].message).toMatch(/aliases/i);
  });

  it('tokens', async () => {
    const long = `{ serverInfo { ${Array.from({ length: 6000 }, () => 'version').join(' ')} } }`;
    const { http, ws } = await refusedOnBoth(long);
    expect(http.errors![0].message).toMatch(/token/i);
    expect(ws.errors![0].message).toMatch(/token/i);
  });

  it('directives', async () => {
    const many = `{ serverInfo { version ${Array.from({ length: 30 }, () => '@include(if: true)').join(' ')} } }`;
    const { http, ws } = await refusedOnBoth(many);
    expect(http.errors![0].message).toMatch(/directive/i);
    expect(ws.errors![0].message).toMatch(/directive/i);
  });

  it('cost', async () => {
    // Within this app's depth limit (5): cost is checked once the document is valid.
    const costly = `{ ${Array.from({ length: 14 }, (_, i) => `r${i}: runs(first: 200) { edges { node { epochs { loss accuracy valLoss valAccuracy learningRate durationMs } tags metricKeys } } }`).join(' ')} }`;
    const { http, ws } = await refusedOnBoth(costly);
    expect(http.errors![0].message).toMatch(/cost/i);
    expect(ws.errors![0].message).toMatch(/cost/i);
  });

  it('logMetrics batch size', async () => {
    const runId = await createRun(withKey(app, key), { name: 'limits' });
    const points = Array.from({ length: 10_001 }, (_, i) => ({ key: 'l', step: i, value: 1 }));
    const query = `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`;
    const http = await gql(app.url, query, { id: runId, p: points }, { authorization: auth() });
    // Over the 256 KiB body limit: refused before GraphQL, with a GraphQL-shaped error.
    expect(http.status).toBe(413);
    expect(errorCode(http)).toBe('PAYLOAD_TOO_LARGE');
    const ws = await gqlOverWebSocket(app.url, query, { id: runId, p: points }, auth());
    expect(ws.errors?.length).toBeGreaterThan(0);
    const small = Array.from({ length: 2 }, (_, i) => ({ key: 'l', step: i, value: 1 }));
    expect((await gqlOverWebSocket(app.url, query, { id: runId, p: small }, auth())).data?.logMetrics.accepted).toBe(2);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM metric_points WHERE run_id = $1', [runId]);
    expect(n).toBe(2);
  });

  it('subscriptions per connection', async () => {
    const runId = await createRun(withKey(app, key), { name: 'subs' });
    const client = wsClient(app.url, { authorization: auth() });
    const errors: unknown[] = [];
    const disposers = Array.from({ length: 4 }, () =>
      client.subscribe({ query: `subscription($id: ID!) { runEvents(runId: $id) { __typename } }`, variables: { id: runId } }, {
        next: () => undefined, error: (e) => errors.push(e), complete: () => undefined,
      }));
    for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    disposers.forEach((d) => d());
    await client.dispose();
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toMatch(/at most 3 operations at once/);
  });

  it('connections per key', async () => {
    const open = async () => {
      const socket = new WebSocket(app.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((r) => socket.once('open', r));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: auth() } }));
      return new Promise<{ socket: WebSocket; outcome: string }>((resolve) => {
        socket.once('message', (m) => resolve({ socket, outcome: JSON.parse(String(m)).type }));
        socket.once('close', (code) => resolve({ socket, outcome: `closed ${code}` }));
      });
    };
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.outcome, second.outcome]).toEqual(['connection_ack', 'connection_ack']);
    expect(third.outcome).toBe('closed 4429');
    first.socket.close();
    // The server learns of the close a moment later: until then the slot is still taken.
    let fourth = await open();
    for (let i = 0; i < 50 && fourth.outcome !== 'connection_ack'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      fourth = await open();
    }
    expect(fourth.outcome).toBe('connection_ack');
    second.socket.close();
    fourth.socket.close();
  });

  it('connections per key: refused connections do not free a slot', async () => {
    const open = async () => {
      const socket = new WebSocket(app.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((r) => socket.once('open', r));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: auth() } }));
      return new Promise<{ socket: WebSocket; outcome: string }>((resolve) => {
        socket.once('message', (m) => resolve({ socket, outcome: JSON.parse(String(m)).type }));
        socket.once('close', (code) => resolve({ socket, outcome: `closed ${code}` }));
      });
    };
    // Wait until the earlier test's sockets are gone on the server too: the cap (2) is free again.
    let held = [await open()];
    for (let i = 0; i < 50 && held[0].outcome !== 'connection_ack'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      held = [await open()];
    }
    held.push(await open());
    expect(held.map((h) => h.outcome)).toEqual(['connection_ack', 'connection_ack']);
    // Each refusal closes its socket; that close must not count as one of the held two leaving.
    for (let i = 0; i < 8; i++) {
      const attempt = await open();
      if (attempt.outcome === 'connection_ack') held.push(attempt);
      else expect(attempt.outcome).toBe('closed 4429');
    }
    const acknowledged = held.filter((h) => h.outcome === 'connection_ack').length;
    for (const h of held) h.socket.close();
    expect(acknowledged).toBe(2);
  });
});

describe('rate limit per key', () => {
  it('answers RATE_LIMITED with Retry-After over HTTP, and RATE_LIMITED over WebSocket', async () => {
    const limited = await startTestApp({ authRequired: true, rateLimit: { perSecond: 2, burst: 3 } });
    try {
      const k = (await limited.services.apiKeys.create({ name: 'rl', scope: 'read' })).key;
      const responses = [];
      for (let i = 0; i < 5; i++) {
        responses.push(await fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) }));
      }
      const last = responses.at(-1)!;
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await last.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
      const ws = await gqlOverWebSocket(limited.url, '{ serverInfo { version } }', {}, `Bearer ${k}`);
      expect(errorCode(ws)).toBe('RATE_LIMITED');
      expect(ws.errors![0].extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.stop();
    }
  });

  it('limits callers without a key by their socket address: a different X-Forwarded-For on each request does not reset it', async () => {
    const open = await startTestApp({ authRequired: false, rateLimit: { perSecond: 2, burst: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(open.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
          body: JSON.stringify({ query: '{ serverInfo { version } }' }),
        });
        statuses.push(response.status);
      }
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await open.stop();
    }
  });
});
