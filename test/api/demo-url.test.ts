import { describe, expect, it } from 'vitest';
import { graphqlEndpoint, notGraphQL } from '../../scripts/graphql-endpoint.js';
import { startTestApp } from '../support/test-app.js';

describe('EPOCHAL_URL for npm run demo', () => {
  it('accepts the server base URL, with or without a slash, and the /graphql endpoint itself', () => {
    expect(graphqlEndpoint('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/graphql');
    expect(graphqlEndpoint('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000/graphql');
    expect(graphqlEndpoint('https://epochal.example.org/graphql')).toBe('https://epochal.example.org/graphql');
    expect(graphqlEndpoint('https://example.org/epochal/graphql/')).toBe('https://example.org/epochal/graphql');
    expect(graphqlEndpoint('https://example.org/epochal')).toBe('https://example.org/epochal/graphql');
  });

  it('says what to write for something that is not an http URL', () => {
    expect(() => graphqlEndpoint('localhost:4000')).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => graphqlEndpoint('not a url')).toThrow(/is not a URL; write the server's address/);
  });

  it('reaches a real server from its base URL, and names the problem when a URL answers HTML', async () => {
    const app = await startTestApp();
    try {
      const base = app.url.replace(/\/graphql$/, '');
      const response = await fetch(graphqlEndpoint(base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) });
      expect((await response.json()).data.serverInfo.version).toBeTruthy();
      expect(notGraphQL(`${base}/`, 200, 'text/html').message).toMatch(/answered HTTP 200 with text\/html, not GraphQL JSON: is EPOCHAL_URL the Epochal server/);
    } finally {
      await app.stop();
    }
  });
});
