import { describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { useTestApp } from '../support/test-app.js';

const app = useTestApp();

describe('GraphQL over HTTP (graphql-http audit suite)', () => {
  it('passes every MUST audit', async () => {
    const failures: string[] = [];
    for (const audit of serverAudits({ url: () => app.url, fetchFn: fetch })) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers queries over GET and refuses mutations over GET', async () => {
    const query = await fetch(`${app.url}?query=${encodeURIComponent('{ serverInfo { version } }')}`);
    expect(query.status).toBe(200);
    expect((await query.json()).data.serverInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    const mutation = await fetch(`${app.url}?query=${encodeURIComponent('mutation { createRun(input: { name: "x" }) { id } }')}`);
    expect(mutation.status).toBe(405);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM runs');
    expect(n).toBe(0);
  });

  it('answers a malformed JSON body with 400 and a GraphQL error, not a stack trace', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ serverInfo {' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0]).toEqual({ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  });
});
