import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { collect, gql, wsClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { createRun, logMetrics, metricPoints } from '../support/testkit.js';

let databaseUrl: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  for (const server of servers) await server.stop('SIGKILL');
});

async function start(): Promise<ServerProcess> {
  const server = await spawnServer(databaseUrl);
  servers.push(server);
  return server;
}

async function rows(runId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM metric_points WHERE run_id = $1', [runId])).rows[0].n;
  } finally {
    await client.end();
  }
}

/** A POST whose body is sent in two halves: the second when `finish` is called. */
function streamedPost(url: string, body: string): { finish(): Promise<{ data?: any; errors?: unknown[] }> } {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  let resolveResponse: (value: { data?: any; errors?: unknown[] }) => void;
  let rejectResponse: (error: Error) => void;
  const response = new Promise<{ data?: any; errors?: unknown[] }>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });
  const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes.length } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolveResponse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
  });
  request.on('error', (error) => rejectResponse(error));
  request.write(bytes.subarray(0, half));
  return {
    finish() {
      request.end(bytes.subarray(half));
      return response;
    },
  };
}

const LOG = `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`;

describe('a server killed mid-ingestion', () => {
  it('loses nothing and duplicates nothing when the client retries the same steps: exactly 100,000 rows', async () => {
    let server = await start();
    const runId = await createRun(server, { name: 'crash' });
    const total = 100_000;
    const batch = 2_000;
    let retries = 0;
    let killed = false;
    for (let step = 0; step < total; step += batch) {
      const points = metricPoints('loss', step, batch, (s) => Math.exp(-s / 20_000));
      // Halfway, the server dies with SIGKILL while this batch is in flight.
      if (!killed && step === total / 2) {
        const inFlight = gql(server.url, LOG, { id: runId, p: points }).catch((e: Error) => e);
        setTimeout(() => server.child.kill('SIGKILL'), 5);
        await inFlight;
        killed = true;
        await server.stop('SIGKILL');
        server = await start();
      }
      for (;;) {
        const result = await gql(server.url, LOG, { id: runId, p: points }).catch((e: Error) => e);
        if (!(result instanceof Error) && result.data?.logMetrics.accepted === batch) break;
        retries++;
        if (retries > 20) throw new Error(`ingestion keeps failing: ${result instanceof Error ? result.message : JSON.stringify(result.errors)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(killed).toBe(true);
    expect(await rows(runId)).toBe(total);
  });
});

describe('a subscriber reconnecting after a server restart', () => {
  it('receives every step exactly once when it resubscribes with afterStep', async () => {
    let server = await start();
    const runId = await createRun(server, { name: 'resume' });
    const seen: number[] = [];
    const SUBSCRIPTION = `subscription($id: ID!, $after: Int) { runEvents(runId: $id, afterStep: $after) { __typename ... on MetricsLogged { points { step } } } }`;
    const listen = (url: string, after: number, until: () => boolean) => {
      const client = wsClient(url);
      return {
        client,
        done: collect<{ runEvents: { points?: { step: number }[] } }>(client, SUBSCRIPTION, { id: runId, after }, (events) => {
          const last = events.at(-1)!.runEvents.points?.map((p) => p.step) ?? [];
          seen.push(...last);
          return until();
        }).catch(() => [] /* the server went away: the client reconnects below */),
      };
    };
    const first = listen(server.url, -1, () => false);
    for (let step = 0; step < 500; step += 50) {
      await logMetrics(server, runId, metricPoints('loss', step, 50));
    }
    // The first subscriber has these 500 steps (from its backlog or live) before the server dies.
    await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(500);
    // The server restarts while the writer carries on against the new one.
    await server.stop('SIGKILL');
    await first.done;
    await first.client.dispose();
    server = await start();
    for (let step = 500; step < 800; step += 50) {
      await logMetrics(server, runId, metricPoints('loss', step, 50));
    }
    const lastSeen = seen.length ? Math.max(...seen) : -1;
    const second = listen(server.url, lastSeen, () => seen.length >= 1000);
    for (let step = 800; step < 1000; step += 50) {
      await logMetrics(server, runId, metricPoints('loss', step, 50));
    }
    await second.done;
    await second.client.dispose();
    expect(lastSeen).toBeGreaterThanOrEqual(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('SIGTERM', () => {
  it('finishes in-flight requests, closes subscriptions cleanly, and exits 0', async () => {
    const server = await start();
    const runId = await createRun(server, { name: 'drain' });
    const client = wsClient(server.url);
    let closeCode: number | null = null;
    client.on('closed', (event) => {
      closeCode = (event as { code: number }).code;
    });
    let events = 0;
    const subscription = collect(client, `subscription($id: ID!) { runEvents(runId: $id, afterStep: -1) { __typename } }`, { id: runId }, (e) => { events = e.length; return false; }).catch((e) => e);
    await expect.poll(() => events, { timeout: 15_000 }).toBeGreaterThan(0);
    // Surely in flight: the headers and half the body go before SIGTERM, the rest after.
    const points = metricPoints('loss', 0, 10_000);
    const request = streamedPost(server.url, JSON.stringify({ query: LOG, variables: { id: runId, p: points } }));
    await new Promise((r) => setTimeout(r, 300));
    const exited = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const response = await request.finish();
    expect(response.data?.logMetrics.accepted).toBe(10_000);
    expect(await exited).toBe(0);
    await subscription;
    await client.dispose();
    expect(closeCode).toBe(1001);
    expect(await rows(runId)).toBe(10_000);
  });
});
