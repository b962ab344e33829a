import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DATASET_IMAGES, gql, gqlOk, gqlOverWebSocket, type GraphQLResponse } from '../support/graphql-client.js';

/**
 * Inputs that once reached PostgreSQL (or the JSON and date code) and came back
 * INTERNAL_SERVER_ERROR, or were stored altered: each must answer
 * BAD_USER_INPUT naming the field, and change nothing.
 */
let app: TestApp;
let runId: string;
let datasetId: string;
const TABLES = ['datasets', 'dataset_images', 'runs', 'epochs', 'metric_points', 'evaluations', 'api_keys', 'run_events'];

beforeAll(async () => {
  app = await startTestApp();
  runId = (await gqlOk(app.url, `mutation { createRun(input: { name: "texts" }) { id } }`)).createRun.id;
  datasetId = (await gqlOk(app.url, `mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }`, { i: { name: 'texts', images: DATASET_IMAGES } })).createDataset.id;
});
afterAll(() => app?.stop());

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return counts;
}

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
/** As JSON text: JSON.stringify itself runs out of stack on it in a test worker. */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const LOG_EPOCH = `mutation($id: ID!, $input: EpochInput!) { logEpoch(runId: $id, input: $input) { index } }`;
const CREATE_DATASET = `mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }`;
const RECORD_EVALUATION = `mutation($id: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $id, input: $input) { accuracy } }`;
const RUNS = `query($filter: RunFilter, $after: String) { runs(filter: $filter, after: $after) { totalCount } }`;
const image = (extra: object) => ({ uri: '/data/x.png', label: 'CNV', split: 'TRAIN', ...extra });

type Case = [name: string, query: string, variables: () => Record<string, unknown>, field: RegExp];
const CASES: Case[] = [
  ['NUL in a run name', CREATE_RUN, () => ({ input: { name: NUL } }), /input\.name/],
  ['NUL in a tag', CREATE_RUN, () => ({ input: { name: 'ok', tags: ['x', NUL] } }), /input\.tags\[1\]/],
  ['NUL in a config string', CREATE_RUN, () => ({ input: { name: 'ok', config: { optimizer: NUL } } }), /input\.config\.optimizer/],
  ['NUL in a config key', CREATE_RUN, () => ({ input: { name: 'ok', config: { [NUL]: 1 } } }), /input\.config/],
  ['NUL in an epoch phase', LOG_EPOCH, () => ({ id: runId, input: { phase: NUL, index: 0 } }), /input\.phase/],
  ['NUL in finishRun\'s error', `mutation($id: ID!, $e: String) { finishRun(id: $id, status: FAILED, error: $e) { id } }`, () => ({ id: runId, e: NUL }), /error/],
  ['NUL in a dataset name', CREATE_DATASET, () => ({ i: { name: NUL, images: [image({})] } }), /i(nput)?\.name/],
  ['NUL in an image label', CREATE_DATASET, () => ({ i: { name: 'nul-label', images: [image({ label: NUL })] } }), /images\[0\]\.label/],
  ['NUL in an image uri', CREATE_DATASET, () => ({ i: { name: 'nul-uri', images: [image({ uri: `/data/${NUL}.png` })] } }), /images\[0\]\.uri/],
  ['NUL in an import path', `mutation($i: ImportDatasetInput!) { importDataset(input: $i) { id } }`, () => ({ i: { name: 'imp', path: `/tmp/${NUL}` } }), /path/],
  ['NUL in a synthetic dataset name', `mutation($i: SyntheticDatasetInput!) { generateSyntheticDataset(input: $i) { id } }`, () => ({ i: { name: NUL, imagesPerLabel: 1 } }), /name/],
  ['NUL in an evaluation label', RECORD_EVALUATION, () => ({ id: runId, input: { labels: ['a', NUL], confusionMatrix: [[1, 0], [0, 1]] } }), /labels\[1\]/],
  ['evaluation counts summing past 2^31', RECORD_EVALUATION, () => ({ id: runId, input: { labels: ['a', 'b'], confusionMatrix: [[2_000_000_000, 2_000_000_000], [0, 1]] } }), /confusionMatrix/],
  ['NUL in an API key name', `mutation($n: String!) { createApiKey(name: $n, scope: read) { key } }`, () => ({ n: NUL }), /name/],
  ['NUL in a startTraining name', `mutation($i: StartTrainingInput!) { startTraining(input: $i) { id } }`, () => ({ i: { name: NUL, datasetId, trainer: 'TFJS' } }), /name/],
  ['NUL in the tag filter', RUNS, () => ({ filter: { tag: NUL } }), /filter\.tag/],
  ['NUL in the nameContains filter', RUNS, () => ({ filter: { nameContains: NUL } }), /filter\.nameContains/],
  ['NUL in metric(key:)', `query($id: ID!, $k: String!) { run(id: $id) { metric(key: $k) { totalPoints } } }`, () => ({ id: runId, k: NUL }), /key/],
  ['NUL in a literal argument', `query { runs(filter: { tag: "a\\u0000b" }) { totalCount } }`, () => ({}), /filter\.tag/],
  ['a runs cursor past bigint', RUNS, () => ({ after: Buffer.from('run:9999999999999999999').toString('base64url') }), /after/],
  ['a DateTime in year 0000', `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`, () => ({ id: runId, p: [{ key: 'k', step: 0, value: 1, time: '0000-01-01T00:00:00Z' }] }), /DateTime/],
  // Item 9: lone surrogates would be stored as U+FFFD.
  ['a lone surrogate in a run name', CREATE_RUN, () => ({ input: { name: LONE } }), /input\.name.*surrogate/],
  ['a lone surrogate in a config string', CREATE_RUN, () => ({ input: { name: 'ok', config: { note: LONE } } }), /input\.config\.note.*surrogate/],
];

describe('text and number inputs PostgreSQL cannot hold', () => {
  it.each(CASES)('%s: BAD_USER_INPUT naming the field, over HTTP and WebSocket, nothing stored', async (_name, query, variables, field) => {
    const before = await rowCounts();
    for (const result of [await gql(app.url, query, variables()), await gqlOverWebSocket(app.url, query, variables())] as GraphQLResponse[]) {
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(field);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('a 5,000-level-deep JSON config: BAD_USER_INPUT naming the field, over HTTP and WebSocket, nothing stored', async () => {
    const before = await rowCounts();
    const body = `{"query":${JSON.stringify(CREATE_RUN)},"variables":{"input":{"name":"deep","config":${deepJson(5_000)}}}}`;
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const overHttp = (await response.json()) as GraphQLResponse;
    expect(overHttp.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(overHttp.errors![0].message).toMatch(/input\.config(\.a)+: nested more than 64 levels deep/);
    const socket = new WebSocket(app.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const answer = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(`{"id":"1","type":"subscribe","payload":${body}}`);
    const overWs = JSON.parse(await answer);
    socket.close();
    expect(overWs).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a subscription sent over HTTP with BAD_USER_INPUT, pointing to WebSocket', async () => {
    const result = await gql(app.url, `subscription($id: ID!) { runEvents(runId: $id) { __typename } }`, { id: runId });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/WebSocket/);
  });
});

describe('bytes that are not UTF-8', () => {
  /** The body's bytes as sent, not re-encoded by fetch. */
  const postBytes = (body: Buffer) => new Promise<{ status: number; body: GraphQLResponse }>((resolve, reject) => {
    const url = new URL(app.url);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
  const withName = (nameBytes: Buffer) => Buffer.concat([
    Buffer.from(`{"query":"mutation($n: String!) { createRun(input: { name: $n }) { id } }","variables":{"n":"`), nameBytes, Buffer.from('"}}'),
  ]);

  it('refuses an HTTP body with invalid UTF-8 instead of storing U+FFFD', async () => {
    const before = await rowCounts();
    const answer = await postBytes(withName(Buffer.from([0x61, 0xff, 0xfe, 0x62])));
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(answer.body.errors![0].message).toMatch(/UTF-8/);
    expect(await rowCounts()).toEqual(before);
  });

  it('still takes valid multi-byte UTF-8', async () => {
    const answer = await postBytes(withName(Buffer.from('Zürich – 東京 🧪')));
    expect(answer.status).toBe(200);
    const id = (answer.body.data as { createRun: { id: string } }).createRun.id;
    expect((await gqlOk(app.url, `query($id: ID!) { run(id: $id) { name } }`, { id })).run.name).toBe('Zürich – 東京 🧪');
  });

  it('refuses a WebSocket message with invalid UTF-8 (binary frames too)', async () => {
    const before = await rowCounts();
    const socket = new WebSocket(app.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const subscribe = Buffer.concat([Buffer.from('{"id":"1","type":"subscribe","payload":{"query":"mutation($n: String!) { createRun(input: { name: $n }) { id } }","variables":{"n":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}}')]);
    socket.send(subscribe, { binary: true });
    const code = await closed;
    expect([1007, 4400]).toContain(code);
    expect(await rowCounts()).toEqual(before);
  });
});
