import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { gqlOk } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

/** As deployed (the Dockerfile sets NODE_ENV=production), where libraries change their defaults. */
let server: ServerProcess;
beforeAll(async () => {
  server = await spawnServer(await createTestDatabase(), { NODE_ENV: 'production' });
});
afterAll(() => server?.stop('SIGKILL'));

describe('NODE_ENV=production', () => {
  it('keeps introspection for clients and codegen, and still stops cleanly on SIGTERM', async () => {
    const { __schema } = await gqlOk(server.url, `{ __schema { queryType { name } subscriptionType { name } } }`);
    expect(__schema).toEqual({ queryType: { name: 'Query' }, subscriptionType: { name: 'Subscription' } });
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
