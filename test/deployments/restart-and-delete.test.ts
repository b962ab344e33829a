import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { deployAndWait, PREDICT, trainTinyRun } from './support.js';

/** A deployment outlives its API process; a run and all it holds can be deleted once nothing serves it. */
let first: TestApp | null = null;
let second: TestApp | null = null;
let runId: string;
let deploymentId: string;
let testUris: string[];
let modelFolder: string;

// One data folder for both processes, as one machine's restart has.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'epochal-restart-'));

beforeAll(async () => {
  first = await startTestApp({ inProcessWorker: true, dataDir, importRoots: [dataDir] });
  const trained = await trainTinyRun(first.url, 'restart-oct');
  runId = trained.runId;
  const { dataset } = await gqlOk(first.url, `query ($id: ID!) { dataset(id: $id) { images(split: TEST, first: 100) { uri } } }`, { id: trained.datasetId });
  testUris = dataset.images.map((i: { uri: string }) => i.uri);
  const { run } = await gqlOk(first.url, `query ($id: ID!) { run(id: $id) { artifacts { kind uri } } }`, { id: runId });
  modelFolder = fileURLToPath(run.artifacts.find((a: { kind: string }) => a.kind === 'model').uri);
}, 180_000);

afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

const predictBase64 = async (url: string, uri: string) =>
  gql(url, PREDICT, { id: deploymentId, images: [{ base64: (await readFile(uri)).toString('base64') }] });

describe('a deployment across an API restart', () => {
  it('is ACTIVE again after a restart, its model reloaded, and answers the same stored prediction for the same bytes', async () => {
    deploymentId = await deployAndWait(first!.url, { runId, windowSize: 3 });
    const before = await predictBase64(first!.url, testUris[0]);
    expect(before.errors).toBeUndefined();
    await first!.stop();
    const databaseUrl = first!.databaseUrl;
    first = null;

    second = await startTestApp({ databaseUrl, dataDir, importRoots: [dataDir] });
    // Loaded again at start, not on first use.
    await vi.waitFor(() => expect(second!.services.deployments.host.has(deploymentId)).toBe(true), { timeout: 30_000 });
    const { deployment } = await gqlOk(second.url, `query ($id: ID!) { deployment(id: $id) { status predictions { totalCount } } }`, { id: deploymentId });
    expect(deployment).toEqual({ status: 'ACTIVE', predictions: { totalCount: 1 } });
    const again = await predictBase64(second.url, testUris[0]);
    expect(again.data!.predict[0].id).toBe(before.data!.predict[0].id);
    const fresh = await predictBase64(second.url, testUris[1]);
    expect(fresh.errors).toBeUndefined();
    expect(fresh.data!.predict[0].scores.reduce((s: number, x: { score: number }) => s + x.score, 0)).toBeCloseTo(1, 12);
  });
});

describe('deleteRun', () => {
  it('refuses a deployed run, a RUNNING run and an unknown id', async () => {
    const url = second!.url;
    const deployed = await gql(url, `mutation ($id: ID!) { deleteRun(id: $id) }`, { id: runId });
    expect(errorCode(deployed)).toBe('CONFLICT');
    expect(deployed.errors![0].message).toMatch(/is deployed .*undeploy it first/);
    const external = await gqlOk(url, `mutation { createRun(input: { name: "still running" }) { id } }`);
    const running = await gql(url, `mutation ($id: ID!) { deleteRun(id: $id) }`, { id: external.createRun.id });
    expect(errorCode(running)).toBe('CONFLICT');
    expect(errorCode(await gql(url, `mutation { deleteRun(id: "00000000-0000-4000-8000-000000000000") }`))).toBe('NOT_FOUND');
    expect(existsSync(modelFolder)).toBe(true);
  });

  it('removes a finished run with all its rows, its deployments and its files', async () => {
    const url = second!.url;
    await gqlOk(url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id: deploymentId });
    const deleted = await gqlOk(url, `mutation ($id: ID!) { deleteRun(id: $id) }`, { id: runId });
    expect(deleted.deleteRun).toBe(runId);
    const gone = await gqlOk(url, `query ($r: ID!, $d: ID!) { run(id: $r) { id } deployment(id: $d) { id } }`, { r: runId, d: deploymentId });
    expect(gone).toEqual({ run: null, deployment: null });
    const db = second!.dataSource;
    for (const table of ['metric_points', 'metric_rollups', 'epochs', 'evaluations', 'artifacts', 'run_notes', 'deployments']) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE run_id = $1`, [runId]);
      expect(n, table).toBe(0);
    }
    const [{ n: predictions }] = await db.query(`SELECT count(*)::int AS n FROM predictions WHERE deployment_id = $1`, [deploymentId]);
    expect(predictions).toBe(0);
    expect(existsSync(modelFolder)).toBe(false);
    expect(existsSync(path.dirname(modelFolder))).toBe(false);
    // The dataset is not the run's: it stays.
    expect(existsSync(testUris[0])).toBe(true);
    expect(errorCode(await gql(url, `mutation ($id: ID!) { deleteRun(id: $id) }`, { id: runId }))).toBe('NOT_FOUND');
  });
});
