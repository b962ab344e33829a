import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { collect, wsClient } from '../support/graphql-client.js';
import { createRun, logMetrics } from '../support/testkit.js';

const app = useTestApp();

const base = () => app.url.replace('/graphql', '');

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('operations endpoints', () => {
  it('/healthz answers while the process lives; /readyz checks the database and the queue', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base()}/readyz`)).json()).toEqual({ ok: true });
  });

  it('/metrics counts operations, ingested points, queue depth and open subscriptions', async () => {
    const runId = await createRun(app, { name: 'm' });
    const before = await metric('epochal_metric_points_ingested_total');
    await logMetrics(app, runId, [{ key: 'a', step: 0, value: 1 }, { key: 'a', step: 1, value: 2 }]);
    expect((await metric('epochal_metric_points_ingested_total')) - (Number.isNaN(before) ? 0 : before)).toBe(2);
    expect(await metric('epochal_graphql_operations_total{transport="http",type="mutation",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(await metric('epochal_queue_depth')).toBe(0);
    const client = wsClient(app.url);
    const open = collect(client, `subscription($id: ID!) { runEvents(runId: $id) { __typename } }`, { id: runId }, () => true, 3_000).catch(() => []);
    await expect.poll(() => metric('epochal_active_subscriptions'), { timeout: 10_000 }).toBe(1);
    await client.dispose();
    await open;
  });

  it('names the process metrics with the prefix once (epochal_process_cpu_user_seconds_total)', async () => {
    const text = await (await fetch(`${base()}/metrics`)).text();
    expect(text).toMatch(/^epochal_process_cpu_user_seconds_total /m);
    expect(text).not.toMatch(/epochal_process_process_/);
  });

  it('echoes a request id and accepts the caller\'s own', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    const generated = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
