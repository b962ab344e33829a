import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gqlOverWebSocket } from '../support/graphql-client.js';
import { BAD_KEY_LIMIT } from '../../src/auth/operation-guard.js';

/** Each unknown key costs a database look-up: an address that keeps failing is slowed down, before any look-up. */
let app: TestApp;
let goodKey: string;

beforeAll(async () => {
  app = await startTestApp({ authRequired: true });
  goodKey = (await app.services.apiKeys.create({ name: 'good', scope: 'read' })).key;
});
afterAll(() => app?.stop());

const forged = () => `epk_${randomBytes(6).toString('base64url')}_${randomBytes(24).toString('base64url')}`;
const lookups = () => app.statements.filter((s) => s.includes('findApiKeyByPrefix')).length;

/** A POST from a chosen loopback address (Linux routes all of 127/8 to lo). */
function post(key: string, localAddress = '127.0.0.1'): Promise<{ status: number; retryAfter?: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(app.url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (response) => {
      let text = '';
      response.on('data', (c) => (text += c));
      response.on('end', () => resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'], code: JSON.parse(text).errors?.[0]?.extensions?.code }));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ serverInfo { version } }' }));
  });
}

describe('failed key checks are rate limited per client address', () => {
  it('answers RATE_LIMITED (429, Retry-After) once an address has failed too often, without looking the key up', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < BAD_KEY_LIMIT.burst * 3 && !outcomes.includes('RATE_LIMITED'); i++) outcomes.push((await post(forged())).code!);
    expect(outcomes.slice(0, BAD_KEY_LIMIT.burst)).toEqual(Array(BAD_KEY_LIMIT.burst).fill('UNAUTHENTICATED'));
    expect(outcomes.at(-1)).toBe('RATE_LIMITED');

    const before = lookups();
    const limited = await post(forged());
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited.code).toBe('RATE_LIMITED');
    expect(errorCode(await gqlOverWebSocket(app.url, '{ serverInfo { version } }', {}, `Bearer ${forged()}`))).toBe('CLOSE_4429');
    expect(lookups()).toBe(before);
  });

  it('leaves other addresses alone', async () => {
    const other = await post(goodKey, '127.0.0.2');
    expect(other.status).toBe(200);
    expect((await post(forged(), '127.0.0.3')).code).toBe('UNAUTHENTICATED');
  });
});
