import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { removeEmbeddedCluster, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, gql, gqlOk, untilLive, wsClient } from '../support/graphql-client.js';

/** The server's error log: shown when an assertion fails, to say why. */
const errorLog: string[] = [];
let database: EmbeddedDatabase;
let app: TestApp;
let port: number;
const folder = mkdtempSync(path.join(os.tmpdir(), 'epochal-restart-'));
const dataDir = path.join(folder, 'pg');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  // A PostgreSQL of its own, so this test can stop and start it.
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir, port });
  app = await startTestApp({ databaseUrl: database.url }, { log: pino({ level: 'error' }, { write: (line: string) => void errorLog.push(line) }) });
});
afterAll(async () => {
  await app?.stop().catch(() => undefined);
  await database?.stop();
  // Its cluster is persistent (it must survive the restart): remove it, wherever it lives.
  if (removeEmbeddedCluster(dataDir)) rmSync(folder, { recursive: true, force: true });
});

const LOG = `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`;

describe('PostgreSQL restarted under load', () => {
  it('answers retryable errors while it is down (no hangs), then serves again without a restart, events included', async () => {
    const runId = (await gqlOk(app.url, `mutation { createRun(input: { name: "db-restart" }) { id } }`)).createRun.id;
    let step = 0;
    const outcomes: string[] = [];
    let loading = true;
    // A client logging in a loop the whole time.
    const load = (async () => {
      while (loading) {
        const started = Date.now();
        const result = await gql(app.url, LOG, { id: runId, p: [{ key: 'loss', step, value: 1 }] }).catch((e: Error) => ({ errors: [{ message: e.message, extensions: { code: 'FETCH_FAILED' } }] }));
        const elapsed = Date.now() - started;
        if (result.errors) outcomes.push(`${result.errors[0].extensions?.code}:${elapsed}:${result.errors[0].message}`);
        else {
          outcomes.push('ok');
          step++;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    await database.stop();
    await new Promise((r) => setTimeout(r, 1500));
    database = await startEmbeddedPostgres({ dataDir, port });
    // Serving again: wait for the first success after the restart.
    const restartedAt = outcomes.length;
    for (let i = 0; i < 100 && !outcomes.slice(restartedAt).includes('ok'); i++) await new Promise((r) => setTimeout(r, 100));
    loading = false;
    await load;

    const failures = outcomes.filter((o) => o !== 'ok');
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      const [code, ms] = failure.split(':');
      expect(code, `${failure}\n${errorLog.filter((l) => l.includes('internal error')).join('\n').slice(0, 3000)}`).toBe('SERVICE_UNAVAILABLE');
      expect(Number(ms)).toBeLessThan(10_000);
    }
    expect(outcomes.at(-1)).toBe('ok');

    // Live events flow again: the LISTEN connection came back too.
    const client = wsClient(app.url);
    let received = 0;
    const events = collect<{ runEvents: { __typename: string } }>(client, `subscription($id: ID!) { runEvents(runId: $id) { __typename } }`, { id: runId }, (e) => (received = e.length) >= 1);
    await untilLive((i) => gqlOk(app.url, LOG, { id: runId, p: [{ key: 'after-restart', step: i, value: 1 }] }), () => received > 0);
    expect((await events)[0].runEvents.__typename).toBe('MetricsLogged');
    await client.dispose();
    const ready = await fetch(app.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
  });
});
