import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import mlflowPackage from 'mlflow';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, gql, wsClient } from '../support/graphql-client.js';

/**
 * The MLflow tracking API through a real third-party client, the `mlflow` npm
 * package (a Node client of MLflow's REST API), with authentication on:
 * MLFLOW_TRACKING_TOKEN travels as a Bearer key. What it cannot send
 * (artifact uploads, search_runs' filters) goes as MLflow's Python client
 * sends it, shaped after MLflow's REST API reference.
 */
// The package is CommonJS whose module.exports is the class, while its types declare an ES default
// export; and they predate MLflow 2 (artifact_location and user_id required, no run_name): called loosely.
type Calls = Record<string, (args: Record<string, unknown>) => Promise<any>>;
type MLflowClient = { Experiments: Calls; Runs: Calls; Metrics: Calls; Artifacts: Calls };
const MLflow = mlflowPackage as unknown as new (options: { endpoint: string; headers?: Record<string, string> }) => MLflowClient;

let app: TestApp;
let writeKey: string;
let readKey: string;
let base: string;
let mlflow: MLflowClient;

beforeAll(async () => {
  app = await startTestApp({ authRequired: true });
  writeKey = (await app.services.apiKeys.create({ name: 'mlflow-script', scope: 'write' })).key;
  readKey = (await app.services.apiKeys.create({ name: 'reader', scope: 'read' })).key;
  base = app.url.replace(/\/graphql$/, '');
  mlflow = new MLflow({ endpoint: base, headers: { Authorization: `Bearer ${writeKey}` } });
  vi.spyOn(console, 'log').mockImplementation(() => undefined); // the package logs every request body
});
afterAll(async () => {
  vi.restoreAllMocks();
  await app?.stop();
});

const asAdmin = (query: string, variables?: Record<string, unknown>) => gql(app.url, query, variables, { authorization: `Bearer ${writeKey}` });
const rest = (method: string, path: string, body?: unknown, key = writeKey) =>
  fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
/** The client throws Error(JSON.stringify({ status, statusText, data })) on any non-200 answer. */
const refusal = (error: unknown) => JSON.parse((error as Error).message.replace(/^Error: /, '')) as { status: number; data: { error_code: string; message: string } };

describe('MLflow tracking API', () => {
  let experimentId: string;
  let runId: string;

  it('logs a whole script: experiment, run, params, tags, metrics, a batch, an artifact, end', async () => {
    ({ experiment_id: experimentId } = await mlflow.Experiments.create({ name: 'oct-mlflow' }));
    const { experiment } = await mlflow.Experiments.get({ experiment_id: experimentId });
    expect(experiment).toMatchObject({ name: 'oct-mlflow', lifecycle_stage: 'active', artifact_location: `mlflow-artifacts:/${experimentId}` });

    const { run } = await mlflow.Runs.create({ experiment_id: experimentId, start_time: Date.now(), tags: [{ key: 'mlflow.runName', value: 'vgg16-mlflow' }, { key: 'team', value: 'eye' }] });
    runId = run.info.run_id;
    expect(run.info).toMatchObject({ run_name: 'vgg16-mlflow', status: 'RUNNING', experiment_id: experimentId });

    await mlflow.Runs.logParameter({ run_id: runId, key: 'learning_rate', value: '0.001' });
    await mlflow.Runs.setTag({ run_id: runId, key: 'architecture', value: 'vgg16' });
    await mlflow.Runs.logMetric({ run_id: runId, key: 'val_accuracy', value: 0.71, timestamp: Date.now(), step: 0 });
    await mlflow.Runs.logBatch({
      run_id: runId,
      metrics: [1, 2, 3].map((step) => ({ key: 'val_accuracy', value: [0.8, 0.93, 0.9][step - 1], timestamp: Date.now(), step })),
      params: [{ key: 'batch_size', value: '32' }],
      tags: [{ key: 'stage', value: 'fine-tune' }],
    });

    // mlflow.log_artifact: a PUT to the proxied artifact store under the run's artifact_uri.
    const upload = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/reports/confusion.csv`, {
      method: 'PUT', headers: { authorization: `Bearer ${writeKey}` }, body: 'label,CNV,NORMAL\nCNV,9,1\nNORMAL,0,10\n',
    });
    expect(upload.status).toBe(200);
    const listed = await mlflow.Artifacts.list({ run_id: runId, path: 'reports' });
    expect(listed.files).toEqual([{ path: 'reports/confusion.csv', is_dir: false, file_size: 37 }]);

    const ended = await mlflow.Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });
    expect(ended.run_info.status).toBe('FINISHED');

    const { run: read } = await mlflow.Runs.get({ run_id: runId });
    expect(read.data.params).toEqual([{ key: 'batch_size', value: '32' }, { key: 'learning_rate', value: '0.001' }]);
    expect(read.data.metrics).toEqual([expect.objectContaining({ key: 'val_accuracy', value: 0.9, step: 3 })]);
    expect(read.data.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'eye' }, { key: 'architecture', value: 'vgg16' }, { key: 'stage', value: 'fine-tune' }]));
    const history = await mlflow.Metrics.getHistory({ run_id: runId, metric_key: 'val_accuracy' });
    expect(history.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2, 3]);
  });

  it('shows the run in GraphQL like any other: runs by project, params, summary, artifacts, compareRuns', async () => {
    const { data } = await asAdmin(`query($id: ID!) {
      runs(filter: { project: "oct-mlflow", metrics: [{ key: "val_accuracy", aggregate: MAX, gt: 0.9 }], params: [{ key: "learning_rate", equals: "1e-3" }] }) { totalCount edges { node { id } } }
      run(id: $id) { name status trainer project { name } params { key value } tagValues { key value } summary(key: "val_accuracy") { last max } artifacts { uri bytes } }
      compareRuns(ids: [$id]) { runs { id } }
    }`, { id: runId });
    expect(data!.runs.edges).toEqual([{ node: { id: runId } }]);
    expect(data!.run).toMatchObject({ name: 'vgg16-mlflow', status: 'SUCCEEDED', trainer: 'EXTERNAL', project: { name: 'oct-mlflow' }, summary: { last: 0.9, max: 0.93 } });
    expect(data!.run.tagValues).toContainEqual({ key: 'team', value: 'eye' });
    expect(data!.compareRuns.runs).toEqual([{ id: runId }]);
    const [artifact] = data!.run.artifacts;
    const download = await fetch(`${base}/api/runs/${runId}/artifacts/download?uri=${encodeURIComponent(artifact.uri)}`, { headers: { authorization: `Bearer ${readKey}` } });
    expect(await download.text()).toBe('label,CNV,NORMAL\nCNV,9,1\nNORMAL,0,10\n');
    const viaMlflow = await rest('GET', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/reports/confusion.csv`, undefined, readKey);
    expect(await viaMlflow.text()).toContain('NORMAL,0,10');
  });

  it('sends metrics logged through MLflow live to runEvents subscribers', async () => {
    const { run } = await mlflow.Runs.create({ experiment_id: experimentId, tags: [{ key: 'mlflow.runName', value: 'live' }] });
    const id = run.info.run_id;
    await mlflow.Runs.logMetric({ run_id: id, key: 'loss', value: 1, step: 0 });
    const client = wsClient(app.url, { authorization: `Bearer ${readKey}` });
    const events = collect<{ runEvents: { __typename: string; points?: { step: number }[]; status?: string } }>(client,
      `subscription($runId: ID!) { runEvents(runId: $runId, afterStep: 0) { __typename ... on MetricsLogged { points { step } } ... on StatusChanged { status } } }`,
      { runId: id }, (seen) => seen.some((e) => e.runEvents.status === 'CANCELLED'));
    await mlflow.Runs.logBatch({ run_id: id, metrics: [1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step })) });
    await mlflow.Runs.update({ run_id: id, status: 'KILLED', end_time: Date.now() });
    const received = await events;
    await client.dispose();
    expect(received.flatMap((e) => e.runEvents.points?.map((p) => p.step) ?? [])).toEqual([1, 2]);
  });

  it('searches runs with MLflow filters and order_by, best first, following page tokens', async () => {
    const { experiment_id: sweep } = await mlflow.Experiments.create({ name: 'mlflow-sweep' });
    const bests = [0.5, 0.9, 0.7, 0.95, 0.6];
    for (const [i, best] of bests.entries()) {
      const { run } = await mlflow.Runs.create({ experiment_id: sweep, tags: [{ key: 'mlflow.runName', value: `sweep-${i}` }] });
      await mlflow.Runs.logBatch({ run_id: run.info.run_id, metrics: [{ key: 'acc', value: best, timestamp: Date.now(), step: 0 }], params: [{ key: 'lr', value: i % 2 ? '0.01' : '0.001' }] });
    }
    const page1 = await mlflow.Runs.search({ experiment_ids: [sweep], filter: "metrics.acc > 0.55 AND params.lr = '0.001'", order_by: ['metrics.acc DESC'], max_results: 1 });
    const page2 = await mlflow.Runs.search({ experiment_ids: [sweep], filter: "metrics.acc > 0.55 AND params.lr = '0.001'", order_by: ['metrics.acc DESC'], max_results: 1, page_token: page1.next_page_token });
    expect([...page1.runs, ...page2.runs].map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['sweep-2', 'sweep-4']);
    expect(page2.next_page_token).toBeUndefined();
    const best = await mlflow.Runs.search({ experiment_ids: [sweep], order_by: ['metrics.acc DESC'], max_results: 2 });
    expect(best.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['sweep-3', 'sweep-1']);
  });

  it('refuses what MLflow refuses, in MLflow\'s error shape, and changes nothing', async () => {
    const taken = await mlflow.Experiments.create({ name: 'oct-mlflow' }).catch(refusal);
    expect(taken).toMatchObject({ status: 400, data: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    const { run } = await mlflow.Runs.create({ experiment_id: experimentId });
    const id = run.info.run_id;
    const tooMany = await mlflow.Runs.logBatch({ run_id: id, metrics: Array.from({ length: 1001 }, (_, step) => ({ key: 'x', value: 1, timestamp: 0, step })) }).catch(refusal);
    expect(tooMany).toMatchObject({ status: 400, data: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(tooMany.data.message).toMatch(/at most 1000 metrics/);
    const hugeStep = await mlflow.Runs.logBatch({ run_id: id, params: [{ key: 'p', value: '1' }], metrics: [{ key: 'x', value: 1, timestamp: 0, step: '4294967296' }] }).catch(refusal);
    expect(hugeStep).toMatchObject({ status: 400, data: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(hugeStep.data.message).toMatch(/step 4294967296 is outside 0\.\.2147483647/);
    const missing = await mlflow.Runs.get({ run_id: '0123456789abcdef0123456789abcdef' }).catch(refusal);
    expect(missing).toMatchObject({ status: 404, data: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    const { run: untouched } = await mlflow.Runs.get({ run_id: id });
    expect(untouched.data).toMatchObject({ metrics: [], params: [] });
    const badFilter = await rest('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId], filter: 'metrics.acc ~ 3' });
    expect(badFilter.status).toBe(400);
    expect(await badFilter.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });

  it('checks MLFLOW_TRACKING_TOKEN like any key: none, unknown, or read-only for a write', async () => {
    const none = await fetch(`${base}/api/2.0/mlflow/experiments/get-by-name?experiment_name=oct-mlflow`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    const readOnly = await rest('POST', '/api/2.0/mlflow/experiments/create', { name: 'not-allowed' }, readKey);
    expect(readOnly.status).toBe(403);
    expect(await readOnly.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    const canRead = await rest('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=oct-mlflow', undefined, readKey);
    expect(canRead.status).toBe(200);
  });
});
