import net from 'node:net';
import { rmSync } from 'node:fs';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { runningPostmaster } from '../../src/db/embedded-postgres.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

/** Where the server said its embedded cluster lives. */
const clusterDir = (output: string) => /"dataDir":"([^"]+postgres[^"]*)"/.exec(output)?.[1] ?? '';

/** True once the cluster's postmaster has exited (the embedded PostgreSQL must never outlive the server). */
const postmasterGone = (dir: string) => runningPostmaster(dir) === null;

describe('npm start with no DATABASE_URL', () => {
  it('starts an embedded PostgreSQL, says where its data lives, answers, and stops it on SIGTERM', async () => {
    const server = await spawnServer('', { DATABASE_URL: '' });
    const dir = clusterDir(server.output());
    try {
      const { serverInfo } = await gqlOk(server.url, '{ serverInfo { version } }');
      expect(serverInfo.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(server.output()).toMatch(/no DATABASE_URL: using the embedded PostgreSQL/);
      expect(dir).not.toBe('');
      expect(postmasterGone(dir)).toBe(false);
      const { createRun } = await gqlOk(server.url, 'mutation { createRun(input: { name: "embedded" }) { status } }');
      expect(createRun.status).toBe('RUNNING');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(postmasterGone(dir)).toBe(true);
  });

  it('stops its PostgreSQL even when a shutdown overruns its deadline and the process exits anyway', async () => {
    // Its PostgreSQL outlives it a moment, so stop() cannot remove the data folder spawnServer would make: this test's own is removed after it.
    const server: ServerProcess = await spawnServer('', { DATABASE_URL: '', EPOCHAL_SHUTDOWN_DEADLINE_MS: '200', EPOCHAL_DATA_DIR: tempDir('epochal-proc-') });
    const dir = clusterDir(server.output());
    // A peer that stops reading holds the drain for seconds: far past a 200 ms deadline.
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((r) => socket.once('message', r));
    (socket as unknown as { _socket: net.Socket })._socket.pause();
    expect(await server.stop('SIGTERM')).toBe(1);
    expect(server.output()).toMatch(/shutdown did not finish within/);
    await expect.poll(() => postmasterGone(dir), { timeout: 20_000 }).toBe(true);
    socket.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the PostgreSQL it started when the start fails (the port is taken)', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = String((taken.address() as net.AddressInfo).port);
    try {
      // A server that never started is never stopped, so nothing would remove a data folder spawnServer made.
      const failure = await spawnServer('', { DATABASE_URL: '', PORT: port, EPOCHAL_DATA_DIR: tempDir('epochal-proc-') }).then(() => null, (error: Error) => error.message);
      expect(failure).toMatch(/server exited with 1/);
      expect(failure).toMatch(/EADDRINUSE/);
      const dir = clusterDir(failure!);
      expect(dir).not.toBe('');
      await expect.poll(() => postmasterGone(dir), { timeout: 20_000 }).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    } finally {
      taken.close();
    }
  });
});
