import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gqlOverWebSocket } from '../support/graphql-client.js';
import { loadConfig } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What docker-compose.yml gives its API services by default, read with Compose's `${NAME:-default}` rule. */
function composeDefaults(): { env: Record<string, string>; nginxPort: string; apiServices: number } {
  const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const env: Record<string, string> = {};
  for (const [, name, fallback] of compose.matchAll(/^\s+(EPOCHAL_PUBLIC_URL|EPOCHAL_ALLOWED_ORIGINS): \$\{\w+:-([^}]*)\}$/gm)) env[name] = fallback;
  const nginxPort = /^\s+- "(\d+):80"$/m.exec(compose)![1];
  return { env, nginxPort, apiServices: (compose.match(/^\s+EPOCHAL_ALLOWED_ORIGINS:/gm) ?? []).length };
}

/**
 * Cross-site WebSocket hijacking and DNS rebinding against a local server with
 * authentication off (the default on a laptop): a page from another site, or a
 * rebound name, must get nothing done. Same-origin pages (the dashboard),
 * clients without Origin (curl, scripts) and configured origins keep working.
 */
let local: TestApp;
let published: TestApp;

beforeAll(async () => {
  local = await startTestApp();
  // As docker-compose.yml configures its API services, plus a public name.
  const compose = composeDefaults();
  const allowedOrigins = loadConfig({ ...compose.env, EPOCHAL_DATA_DIR: os.tmpdir() }).allowedOrigins;
  published = await startTestApp({ allowedOrigins: [...allowedOrigins, 'https://epochal.example.org'] });
});
afterAll(async () => {
  await local?.stop();
  await published?.stop();
});

const CREATE_RUN = JSON.stringify({ query: 'mutation { createRun(input: { name: "cross-site" }) { id } }' });
const runCount = async (app: TestApp) => (await app.dataSource.query('SELECT count(*)::int AS n FROM runs'))[0].n as number;

/** A raw POST, so Host can be anything (fetch does not let a caller set it). */
function post(url: string, headers: Record<string, string>, body = CREATE_RUN): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Opens a graphql-ws socket with these headers; resolves with the handshake's status, or 101. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, response) => resolve(response.statusCode!));
    socket.once('error', () => undefined);
  });
}

const port = (app: TestApp) => new URL(app.url).port;

describe('Origin and Host checks', () => {
  it('refuse a cross-site WebSocket (Origin: http://evil.example) with 403, and run nothing', async () => {
    const before = await runCount(local);
    expect(await upgrade(local.url, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(local.url, { origin: 'null' })).toBe(403);
    expect(await runCount(local)).toBe(before);
  });

  it('refuse a cross-site POST and a rebound Host (Host: evil.example) with 403, and store nothing', async () => {
    const before = await runCount(local);
    const crossSite = await post(local.url, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body).errors[0].extensions.code).toBe('FORBIDDEN');
    const rebound = await post(local.url, { host: `evil.example:${port(local)}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).errors[0].message).toMatch(/EPOCHAL_PUBLIC_URL/);
    expect((await post(local.url, { host: 'localhost:1' })).status).toBe(403);
    expect(await upgrade(local.url, { host: `evil.example:${port(local)}` })).toBe(403);
    expect(await runCount(local)).toBe(before + 0);
  });

  it('serve requests without Origin, same-origin pages and loopback names with the port', async () => {
    expect((await post(local.url, {})).status).toBe(200);
    expect((await post(local.url, { host: `localhost:${port(local)}`, origin: `http://localhost:${port(local)}` })).status).toBe(200);
    expect((await post(local.url, { origin: `http://127.0.0.1:${port(local)}` })).status).toBe(200);
    expect(await upgrade(local.url, { origin: `http://127.0.0.1:${port(local)}` })).toBe(101);
    expect((await gqlOverWebSocket(local.url, '{ serverInfo { version } }')).data?.serverInfo.version).toBeTruthy();
    const page = await fetch(local.url.replace('/graphql', '/healthz'));
    expect(page.status).toBe(200);
  });

  it('serve the configured origins and their hosts: docker-compose\'s nginx (scale profile) and a public name, and nothing else', async () => {
    const { nginxPort, apiServices } = composeDefaults();
    expect(apiServices).toBe(2); // api and api-2, both behind nginx
    // nginx passes Host on as the browser sent it, port included.
    const nginx = readFileSync(path.join(ROOT, 'nginx.conf'), 'utf8');
    expect(nginx).not.toMatch(/proxy_set_header Host \$host;/);
    expect(nginx).toMatch(/proxy_set_header Host \$http_host;/);
    const browser = { host: `localhost:${nginxPort}`, origin: `http://localhost:${nginxPort}` };
    expect((await post(published.url, browser)).status).toBe(200);
    expect(await upgrade(published.url, browser)).toBe(101);
    expect((await post(published.url, { host: 'epochal.example.org', origin: 'https://epochal.example.org' })).status).toBe(200);
    expect((await post(published.url, { host: 'epochal.example.org', origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(published.url, { host: 'localhost:8081', origin: 'http://localhost:8081' })).status).toBe(403);
  });

  it('reads EPOCHAL_PUBLIC_URL and EPOCHAL_ALLOWED_ORIGINS, and refuses ones that are not http(s) URLs', () => {
    const env = { EPOCHAL_DATA_DIR: os.tmpdir(), EPOCHAL_PUBLIC_URL: 'https://epochal.example.org/', EPOCHAL_ALLOWED_ORIGINS: 'http://localhost:8080, http://localhost:5173' };
    expect(loadConfig(env).allowedOrigins).toEqual(['https://epochal.example.org', 'http://localhost:8080', 'http://localhost:5173']);
    expect(() => loadConfig({ ...env, EPOCHAL_ALLOWED_ORIGINS: 'ftp://x' })).toThrow(/EPOCHAL_ALLOWED_ORIGINS/);
  });
});
