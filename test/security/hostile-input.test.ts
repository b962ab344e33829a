import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_LIMITS } from '../../src/graphql/operation-limits.js';
import { useTestApp } from '../support/test-app.js';
import { DATASET_IMAGES, gql, gqlOverWebSocket, type GraphQLResponse } from '../support/graphql-client.js';
import { tempDir } from '../support/temp-dir.js';
import { createDataset, createRun, finishRun, withKey } from '../support/testkit.js';

const roots = tempDir('epochal-roots-');
const importRoot = path.join(roots, 'imports');
const outsideRoot = path.join(roots, 'outside');
mkdirSync(path.join(outsideRoot, 'train', 'CNV'), { recursive: true });
mkdirSync(importRoot, { recursive: true });
symlinkSync(outsideRoot, path.join(importRoot, 'escape'));

const app = useTestApp({ authRequired: true, importRoots: [importRoot] });
let writeKey: string;
let readKey: string;
let openRun: string;
let finishedRun: string;
let datasetId: string;

const TABLES = ['datasets', 'dataset_images', 'runs', 'epochs', 'metric_points', 'evaluations', 'artifacts', 'api_keys', 'pgboss.job'];
const CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']);

beforeAll(async () => {
  writeKey = (await app.services.apiKeys.create({ name: 'hostile-write', scope: 'write' })).key;
  readKey = (await app.services.apiKeys.create({ name: 'hostile-read', scope: 'read' })).key;
  const writer = withKey(app, writeKey);
  datasetId = await createDataset(writer, { name: 'hostile', images: DATASET_IMAGES });
  openRun = await createRun(writer, { name: 'open' });
  finishedRun = await createRun(writer, { name: 'done' });
  await finishRun(writer, finishedRun);
});

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return counts;
}

type Send = () => Promise<GraphQLResponse & { status?: number }>;
const post = (query: string, variables?: Record<string, unknown>, key = writeKey): Send => () => gql(app.url, query, variables, { authorization: `Bearer ${key}` });
const overWs = (query: string, variables?: Record<string, unknown>): Send => () => gqlOverWebSocket(app.url, query, variables, `Bearer ${writeKey}`);
const raw = (body: string, contentType = 'application/json'): Send => async () => {
  const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${writeKey}` }, body });
  const text = await response.text();
  let parsed: GraphQLResponse = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { errors: [{ message: text, extensions: { code: `HTTP_${response.status}` } }] };
  }
  return { status: response.status, ...parsed };
};
const LOG = `mutation($id: ID!, $p: [MetricInput!]!) { logMetrics(runId: $id, points: $p) { accepted } }`;
const point = (over: Record<string, unknown>) => [{ key: 'loss', step: 1, value: 0.5, ...over }];
const MB = 'x'.repeat(1024 * 1024);

const CASES: [string, () => Send, RegExp?][] = [
  ['malformed JSON', () => raw('{"query": "{ runs { totalCount }'), /not valid JSON/],
  ['a batched array body', () => raw(JSON.stringify([{ query: '{ serverInfo { version } }' }, { query: '{ serverInfo { version } }' }]))],
  ['a query that is a number', () => raw(JSON.stringify({ query: 42 }))],
  ['an empty body', () => raw('')],
  ['text/plain content', () => raw('{ runs { totalCount } }', 'text/plain')],
  ['variables as a string', () => raw(JSON.stringify({ query: 'query($id: ID!) { run(id: $id) { id } }', variables: '{"id":"x"}' }))],
  ['a step as a string', () => post(LOG, { id: openRun, p: point({ step: '5' }) })],
  ['NaN smuggled as a string', () => post(LOG, { id: openRun, p: point({ value: 'NaN' }) })],
  ['Infinity smuggled as a string', () => post(LOG, { id: openRun, p: point({ value: 'Infinity' }) })],
  ['-Infinity smuggled as a string', () => post(LOG, { id: openRun, p: point({ value: '-Infinity' }) })],
  ['an overflowing float literal', () => post(`mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "l", step: 1, value: 1e400 }]) { accepted } }`, { id: openRun })],
  ['a negative step', () => post(LOG, { id: openRun, p: point({ step: -1 }) }), /step must be >= 0/],
  ['a step beyond 32 bits', () => post(LOG, { id: openRun, p: point({ step: 2 ** 31 }) })],
  ['a fractional step', () => post(LOG, { id: openRun, p: point({ step: 1.5 }) })],
  ['a huge step over WebSocket', () => overWs(LOG, { id: openRun, p: point({ step: 1e12 }) })],
  ['a 1 MB metric key', () => post(LOG, { id: openRun, p: point({ key: MB }) }), /key must be at most 200/],
  ['a 1 MB run name', () => post(`mutation($n: String!) { createRun(input: { name: $n }) { id } }`, { n: MB }), /name must be at most 200/],
  ['a batch over 10,000 points', () => post(LOG, { id: openRun, p: Array.from({ length: 10_001 }, (_, i) => ({ key: 'l', step: i, value: 1 })) }), /at most 10000/],
  ['an unknown run', () => post(LOG, { id: '7b6f0c1e-1111-4222-8333-944455556666', p: point({}) }), /was not found/],
  ['SQL in a run id', () => post(LOG, { id: "1'; DELETE FROM runs; --", p: point({}) }), /was not found/],
  ['a path as a run id', () => post(`mutation { cancelRun(id: "../../etc/passwd") { id } }`), /was not found/],
  ['SQL in a dataset name with no images', () => post(`mutation { createDataset(input: { name: "x'); DROP TABLE runs; --", images: [] }) { id } }`), /at least one image/],
  ['an image URL that is not a file or s3 uri', () => post(`mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }`, { i: { name: 'web', images: [{ uri: 'https://evil.example/a.png', label: 'CNV', split: 'TRAIN' }] } }), /uri/],
  ['a blank label', () => post(`mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }`, { i: { name: 'blank', images: [{ uri: '/a.png', label: '  ', split: 'TRAIN' }] } }), /label must not be empty/],
  ['an unknown split', () => post(`mutation { createDataset(input: { name: "s", images: [{ uri: "/a.png", label: "CNV", split: HOLDOUT }] }) { id } }`)],
  ['an import path escaping the root with ..', () => post(`mutation($p: String!) { importDataset(input: { name: "i1", path: $p }) { id } }`, { p: `${outsideRoot}/../../..` }), /outside the folders/],
  ['an import path outside the roots', () => post(`mutation { importDataset(input: { name: "i2", path: "/etc" }) { id } }`), /outside the folders/],
  ['an import through a symlink out of the root', () => post(`mutation($p: String!) { importDataset(input: { name: "i3", path: $p }) { id } }`, { p: path.join(path.dirname(outsideRoot), 'imports', 'escape') }), /outside the folders/],
  ['an import path with a NUL byte', () => post(`mutation($p: String!) { importDataset(input: { name: "i4", path: $p }) { id } }`, { p: '/tmp/a\u0000b' }), /NUL/],
  ['a non-square confusion matrix', () => post(`mutation($id: ID!) { recordEvaluation(runId: $id, input: { labels: ["a", "b"], confusionMatrix: [[1, 2, 3], [4, 5, 6]] }) { accuracy } }`, { id: openRun })],
  ['negative confusion counts', () => post(`mutation($id: ID!) { recordEvaluation(runId: $id, input: { labels: ["a", "b"], confusionMatrix: [[1, -2], [3, 4]] }) { accuracy } }`, { id: openRun })],
  ['1001 labels', () => post(`mutation($id: ID!, $l: [String!]!) { recordEvaluation(runId: $id, input: { labels: $l, confusionMatrix: [] }) { accuracy } }`, { id: openRun, l: Array.from({ length: 1001 }, (_, i) => `c${i}`) })],
  ['finishing a run as RUNNING', () => post(`mutation($id: ID!) { finishRun(id: $id, status: RUNNING) { id } }`, { id: openRun }), /SUCCEEDED, FAILED or CANCELLED/],
  ['cancelling a finished run', () => post(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: finishedRun }), /already SUCCEEDED/],
  ['an epoch into a finished run', () => post(`mutation($id: ID!) { logEpoch(runId: $id, input: { index: 0, loss: 1 }) { index } }`, { id: finishedRun }), /SUCCEEDED/],
  ['points into a finished run over WebSocket', () => overWs(LOG, { id: finishedRun, p: point({}) }), /SUCCEEDED/],
  ['maxPoints 0', () => post(`query($id: ID!) { run(id: $id) { metric(key: "l", maxPoints: 0) { totalPoints } } }`, { id: openRun }), /maxPoints/],
  ['a negative page size', () => post(`{ runs(first: -1) { totalCount } }`), /first must be between/],
  ['a forged cursor', () => post(`{ runs(after: "J09SIDE9MS0tIA") { totalCount } }`), /not a cursor/],
  ['an image size of 100000', () => post(`mutation($d: ID!) { startTraining(input: { name: "big", datasetId: $d, trainer: TFJS, tfjs: { imageSize: 100000 } }) { id } }`, { d: datasetId }), /imageSize must be at most/],
  ['a million synthetic images', () => post(`mutation { generateSyntheticDataset(input: { name: "huge", imagesPerLabel: 1000000 }) { id } }`), /imagesPerLabel must be at most/],
  ['training on an unknown dataset', () => post(`mutation { startTraining(input: { name: "x", datasetId: "7b6f0c1e-1111-4222-8333-944455556666", trainer: TFJS }) { id } }`), /was not found/],
  ['a garbage DateTime', () => post(LOG, { id: openRun, p: point({ time: '2026-13-45T99:99:99Z' }) })],
  ['an unknown field', () => post(`{ runs { totalCount passwords } }`)],
  ['a deep query through fragments', () => post(`{ runs { edges { node { ...a } } } } fragment a on Run { dataset { classCounts { label } } evaluation { perClass { label } } }`.replace('{ runs', '{ compareRuns(ids: []) { runs { dataset { classCounts { label } } } } runs'))],
  ['an alias bomb', () => post(`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`), /aliases/i],
  ['an alias bomb over WebSocket', () => overWs(`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`), /aliases/i],
  ['a wide, costly query', () => post(`{ ${Array.from({ length: 14 }, (_, i) => `r${i}: runs(first: 200) { edges { node { epochs { loss accuracy valLoss valAccuracy learningRate durationMs } evaluation { perClass { label precision recall f1 support } } } } }`).join(' ')} }`), /cost/i],
  ['a directive flood', () => post(`{ serverInfo { version ${'@skip(if: false) '.repeat(50)} } }`), /directive/i],
  ['a token flood', () => post(`{ serverInfo { ${'version '.repeat(OPERATION_LIMITS.maxTokens + 10)} } }`), /token/i],
  ['a read key mutating', () => post(`mutation { createRun(input: { name: "sneaky" }) { id } }`, {}, readKey), /write scope/],
  ['a write key creating keys', () => post(`mutation { createApiKey(name: "escalate", scope: admin) { key } }`), /admin scope/],
  ['a mutation over GET', () => async () => {
    const response = await fetch(`${app.url}?query=${encodeURIComponent('mutation { createRun(input: { name: "get" }) { id } }')}`, { headers: { authorization: `Bearer ${writeKey}` } });
    return { status: response.status, ...(await response.json()) };
  }],
];

describe(`hostile and broken input (${CASES.length} cases)`, () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s: a clear error, nothing changed, the server still serving', async (_name, makeSend, message) => {
    const before = await rowCounts();
    const result = await makeSend()();
    expect(result.errors?.length, JSON.stringify(result).slice(0, 300)).toBeGreaterThan(0);
    for (const error of result.errors!) {
      expect(error.message.length).toBeGreaterThan(5);
      expect(error.message).not.toMatch(/\bat .+\.(ts|js):\d+/);
      const code = String(error.extensions?.code);
      expect(CODES.has(code) || /^HTTP_4\d\d$/.test(code), `unexpected code ${code}: ${error.message}`).toBe(true);
    }
    if (message) expect(result.errors!.map((e) => e.message).join(' | ')).toMatch(message);
    expect(result.data?.logMetrics ?? result.data?.createRun ?? null).toBeNull();
    expect(await rowCounts()).toEqual(before);
    const alive = await gql(app.url, '{ serverInfo { version } }', {}, { authorization: `Bearer ${readKey}` });
    expect(alive.data?.serverInfo.version).toBeTruthy();
  });
});
