import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { collect, gqlOk, wsClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { createRun, finishRun, logMetrics, metricPoints } from '../support/testkit.js';

const app = useTestApp();
let other: ServerProcess;

beforeAll(async () => {
  other = await spawnServer(app.databaseUrl);
});
afterAll(async () => {
  await other?.stop();
});

type Event = { runEvents: { __typename: string; key?: string; points?: { step: number }[]; status?: string } };

describe('two server processes on one database', () => {
  it('deliver each other\'s events: writes on one reach subscribers of the other, small and large', async () => {
    const runId = await createRun(other, { name: 'cross-process' });
    const client = wsClient(app.url);
    const events = collect<Event>(
      client,
      `subscription($runId: ID!) { runEvents(runId: $runId, afterStep: -1) { __typename ... on MetricsLogged { key points { step } } ... on StatusChanged { status } } }`,
      { runId },
      (got) => got.some((e) => e.runEvents.status === 'SUCCEEDED'),
    );
    await new Promise((r) => setTimeout(r, 300));
    await logMetrics(other, runId, [{ key: 'loss', step: 0, value: 1 }]);
    await logMetrics(other, runId, metricPoints('loss', 1, 5_000, (s) => 1 / (s + 1)));
    await finishRun(other, runId);
    const received = await events;
    await client.dispose();
    const steps = received.flatMap((e) => e.runEvents.points?.map((p) => p.step) ?? []);
    expect(steps).toEqual(Array.from({ length: 5_001 }, (_, i) => i));
    expect(received.at(-1)!.runEvents.status).toBe('SUCCEEDED');
  });

  it('see each other\'s runs, and the other process drains cleanly on SIGTERM', async () => {
    const mine = await createRun(app, { name: 'from-in-process' });
    const theirs = await gqlOk(other.url, `query($id: ID!) { run(id: $id) { name } }`, { id: mine });
    expect(theirs.run.name).toBe('from-in-process');
    const code = await other.stop('SIGTERM');
    expect(code).toBe(0);
    expect(other.output()).toMatch(/shutting down/);
  });
});
