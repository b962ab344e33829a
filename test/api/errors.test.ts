import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { collect, errorCode, gql, wsClient } from '../support/graphql-client.js';
import { createRun } from '../support/testkit.js';

const app = useTestApp();

describe('internal errors', () => {
  it('are answered with a request id and no details, over HTTP and WebSocket', async () => {
    const runId = await createRun(app, { name: 'x' });
    // A bug stand-in: the SQL the API sends no longer matches the table.
    await app.dataSource.query('ALTER TABLE epochs RENAME COLUMN loss TO loss_renamed');
    try {
      const result = await gql(app.url, `query($id: ID!) { run(id: $id) { epochs { loss } } }`, { id: runId }, { 'x-request-id': 'req-abc-123' });
      expect(errorCode(result)).toBe('INTERNAL_SERVER_ERROR');
      expect(result.errors![0].message).toBe('internal server error (request id req-abc-123); the server log has the details');
      expect(JSON.stringify(result)).not.toMatch(/loss|column|stack|\.ts:/);

      const client = wsClient(app.url);
      const error = await collect(client, `subscription($id: ID!) { runEvents(runId: $id, afterStep: 0) { __typename } }`, { id: runId }, () => true).catch((e) => e);
      await client.dispose();
      expect(JSON.stringify(error)).toMatch(/internal server error \(request id ws-/);
      expect(JSON.stringify(error)).not.toMatch(/loss|column/);
    } finally {
      await app.dataSource.query('ALTER TABLE epochs RENAME COLUMN loss_renamed TO loss');
    }
  });

  it('validation errors over WebSocket carry a code like over HTTP', async () => {
    const client = wsClient(app.url);
    const error = await collect(client, `subscription { runEvents(runId: 5, nope: 1) { __typename } }`, {}, () => true).catch((e) => e);
    await client.dispose();
    expect(JSON.stringify(error)).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
