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

describe('client mistakes answer 4xx, never 500', () => {
  const post = (body: unknown) => fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('a document over the token limit: 400', async () => {
    const response = await post({ query: `{ serverInfo { ${Array.from({ length: 6000 }, () => 'version').join(' ')} } }` });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/token/i);
  });

  it('several operations and no operationName: 400', async () => {
    const response = await post({ query: 'query A { serverInfo { version } } query B { serverInfo { version } }' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].message).toMatch(/operationName/);
    expect(body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('an operationName the document does not have: 400', async () => {
    const response = await post({ query: 'query A { serverInfo { version } }', operationName: 'B' });
    expect(response.status).toBe(400);
  });

  it('a file:// image URI naming a host is refused at input (BAD_USER_INPUT), nothing stored', async () => {
    const response = await post({
      query: `mutation($images: [ImageInput!]!) { createDataset(input: { name: "remote", images: $images }) { id } }`,
      variables: { images: [{ uri: 'file://fileserver/share/a.png', label: 'A', split: 'TRAIN' }] },
    });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/uri/);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM datasets');
    expect(n).toBe(0);
  });
});
