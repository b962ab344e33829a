import { describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { spawnServer } from '../support/server-process.js';

describe('npm start with no DATABASE_URL', () => {
  it('starts an embedded PostgreSQL, says where its data lives, answers, and stops it on SIGTERM', async () => {
    const server = await spawnServer('', { DATABASE_URL: '' });
    try {
      const { serverInfo } = await gqlOk(server.url, '{ serverInfo { version } }');
      expect(serverInfo.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(server.output()).toMatch(/no DATABASE_URL: using the embedded PostgreSQL/);
      expect(server.output()).toMatch(/"dataDir":"[^"]+postgres/);
      const { createRun } = await gqlOk(server.url, 'mutation { createRun(input: { name: "embedded" }) { status } }');
      expect(createRun.status).toBe('RUNNING');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
