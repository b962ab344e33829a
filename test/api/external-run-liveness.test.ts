import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';

/**
 * EXTERNAL runs fail when their script goes silent longer than timeoutSeconds.
 * Time is not waited for: a run's last report is moved into the past in the
 * database, as if its script had died that long ago.
 */
let app: TestApp;
let other: TestApp;
beforeAll(async () => {
  // Two API processes on one database, neither with a worker, both sweeping often.
  app = await startTestApp({ silentRunSweepMs: 50 });
  other = await startTestApp({ databaseUrl: app.databaseUrl, silentRunSweepMs: 50 });
});
afterAll(async () => {
  await other?.stop();
  await app?.stop();
});

const RUN_FIELDS = 'id status error timeoutSeconds reportedAt';
const createRun = async (extra = '') => (await gqlOk(app.url, `mutation { createRun(input: { name: "script" ${extra} }) { ${RUN_FIELDS} } }`)).createRun;
const runOf = async (id: string) => (await gqlOk(app.url, `query($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, { id })).run;
/** As if the script's last report was `seconds` ago. */
const silentFor = (id: string, seconds: number) =>
  app.dataSource.query(`UPDATE run_event_heads SET reported_at = now() - make_interval(secs => $2) WHERE run_id = $1`, [id, seconds]);
const HEARTBEAT = `mutation($id: ID!) { heartbeat(runId: $id) { ${RUN_FIELDS} } }`;

describe('EXTERNAL run liveness', () => {
  it('gives createRun a timeout (default 3600 s, 0: never) and shows when the run last reported', async () => {
    const run = await createRun();
    expect(run).toMatchObject({ status: 'RUNNING', timeoutSeconds: 3600 });
    expect(Date.parse(run.reportedAt)).toBeGreaterThan(0);
    expect(await createRun('timeoutSeconds: 0')).toMatchObject({ timeoutSeconds: 0 });
    for (const bad of ['-1', '2592001']) {
      const result = await gql(app.url, `mutation { createRun(input: { name: "x", timeoutSeconds: ${bad} }) { id } }`);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/timeoutSeconds/);
    }
  });

  it('fails a silent run with "no report for …", in a deployment without workers, once across processes', async () => {
    const silent = await createRun('timeoutSeconds: 60');
    const never = await createRun('timeoutSeconds: 0');
    await silentFor(silent.id, 120);
    await silentFor(never.id, 10 * 24 * 3600);
    await expect.poll(async () => (await runOf(silent.id)).status, { timeout: 15_000 }).toBe('FAILED');
    expect((await runOf(silent.id)).error).toMatch(/^no report for 60 s \(its timeoutSeconds\) since .*: the script stopped logging/);
    // Both processes swept it: one of them failed it, once.
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM run_events WHERE run_id = $1 AND body->>'status' = 'FAILED'`, [silent.id]);
    expect(n).toBe(1);
    expect(await app.services.runs.failSilentRuns()).toEqual([]);
    expect((await runOf(never.id)).status).toBe('RUNNING');
  });

  it('is kept alive by logged points, epochs and heartbeats', async () => {
    const byPoint = await createRun('timeoutSeconds: 60');
    const byEpoch = await createRun('timeoutSeconds: 60');
    const byHeartbeat = await createRun('timeoutSeconds: 60');
    // Half their timeout ago (not yet swept): each report must move the last report to now.
    for (const run of [byPoint, byEpoch, byHeartbeat]) await silentFor(run.id, 30);
    const before = Date.now() - 25_000;
    await gqlOk(app.url, `mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 0, value: 1 }]) { accepted } }`, { id: byPoint.id });
    await gqlOk(app.url, `mutation($id: ID!) { logEpoch(runId: $id, input: { index: 0 }) { index } }`, { id: byEpoch.id });
    expect((await gqlOk(app.url, HEARTBEAT, { id: byHeartbeat.id })).heartbeat.status).toBe('RUNNING');
    for (const run of [byPoint, byEpoch, byHeartbeat]) {
      const now = await runOf(run.id);
      expect(now.status).toBe('RUNNING');
      expect(Date.parse(now.reportedAt)).toBeGreaterThan(before);
    }
  });

  it('answers a heartbeat for a finished run CONFLICT and for an unknown one NOT_FOUND', async () => {
    const run = await createRun();
    await gqlOk(app.url, `mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: run.id });
    const finished = await gql(app.url, HEARTBEAT, { id: run.id });
    expect(errorCode(finished)).toBe('CONFLICT');
    expect(finished.errors![0].message).toMatch(/is SUCCEEDED: only RUNNING runs take heartbeats/);
    expect(errorCode(await gql(app.url, HEARTBEAT, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
  });
});
