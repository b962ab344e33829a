import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';

/**
 * Projects, parameters and metric summaries, and Query.runs filtering and
 * sorting on them: "the run with the best validation accuracy", page by page.
 */
let app: TestApp;
const runs: { id: string; lr: number; best: number | null }[] = [];

const CREATE = `mutation($input: CreateRunInput!) { createRun(input: $input) { id project { name } } }`;
const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const PAGE = `query($first: Int, $after: String, $filter: RunFilter, $orderBy: RunOrder) {
  runs(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } }
  }
}`;

beforeAll(async () => {
  app = await startTestApp();
  // 30 runs in project "sweep": learning rates from three values, val_accuracy curves
  // whose maximum is known; every fifth run never logs val_accuracy.
  for (let i = 0; i < 30; i++) {
    const lr = [0.01, 0.001, 0.0001][i % 3];
    const { createRun } = await gqlOk(app.url, CREATE, { input: { name: `sweep-${i}`, project: 'sweep', config: { learningRate: lr, optimizer: { name: 'adam' } } } });
    const best = i % 5 === 4 ? null : 0.5 + ((i * 7) % 30) / 100;
    if (best !== null) {
      // Rises to `best` at step 3, then falls: last < max.
      const curve = [best - 0.3, best - 0.1, best - 0.05, best, best - 0.02];
      await gqlOk(app.url, LOG, { runId: createRun.id, points: curve.map((value, step) => ({ key: 'val_accuracy', step, value })) });
    }
    runs.push({ id: createRun.id, lr, best });
  }
  await gqlOk(app.url, CREATE, { input: { name: 'elsewhere', config: { learningRate: 0.001 } } });
});
afterAll(() => app?.stop());

/** The sweep's runs by best val_accuracy, those without it last; ties and valueless runs newest first. */
function bestFirst(): string[] {
  const rank = (r: (typeof runs)[number]) => (r.best === null ? -Infinity : r.best);
  return [...runs].sort((a, b) => rank(b) - rank(a) || runs.indexOf(b) - runs.indexOf(a)).map((r) => r.id);
}

type Page = { runs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; name: string } }[] } };

async function allPages(variables: Record<string, unknown>, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after = (variables.after as string | undefined) ?? null;
  for (let pages = 0; pages < 100; pages++) {
    const { runs: page }: Page = await gqlOk(app.url, PAGE, { ...variables, first, after });
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

describe('projects', () => {
  it('puts runs in "default" unless they name a project, and creates a named project on first use', async () => {
    const { projects } = await gqlOk(app.url, `{ projects { name } }`);
    expect(projects.map((p: { name: string }) => p.name)).toEqual(['default', 'sweep']);
    const sweep = await gqlOk(app.url, PAGE, { first: 0, filter: { project: 'sweep' } });
    expect(sweep.runs.totalCount).toBe(30);
    const byDefault = await gqlOk(app.url, PAGE, { first: 5, filter: { project: 'default' } });
    expect(byDefault.runs.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['elsewhere']);
    const none = await gqlOk(app.url, PAGE, { first: 5, filter: { project: 'no such project' } });
    expect(none.runs.totalCount).toBe(0);
  });

  it('refuses a second project of one name with CONFLICT', async () => {
    const created = await gqlOk(app.url, `mutation { createProject(name: "papers") { name } }`);
    expect(created.createProject.name).toBe('papers');
    const again = await gql(app.url, `mutation { createProject(name: "papers") { name } }`);
    expect(errorCode(again)).toBe('CONFLICT');
  });
});

describe('parameters and summaries', () => {
  it('keeps the config\'s leaves as parameters and each key\'s last, min and max', async () => {
    const run = runs[0];
    const { run: read } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) {
      params { key value } summary(key: "val_accuracy") { last lastStep min max count } missing: summary(key: "nope") { last }
    } }`, { id: run.id });
    expect(read.params).toEqual([{ key: 'learningRate', value: '0.01' }, { key: 'optimizer.name', value: 'adam' }]);
    expect(read.summary).toMatchObject({ lastStep: 4, count: 5 });
    expect(read.summary.max).toBeCloseTo(run.best!, 12);
    expect(read.summary.min).toBeCloseTo(run.best! - 0.3, 12);
    expect(read.summary.last).toBeCloseTo(run.best! - 0.02, 12);
    expect(read.missing).toBeNull();
  });

  it('follows a replaced point: the old maximum no longer counts', async () => {
    const { createRun } = await gqlOk(app.url, CREATE, { input: { name: 'replaced', project: 'scratch' } });
    await gqlOk(app.url, LOG, { runId: createRun.id, points: [{ key: 'acc', step: 0, value: 0.2 }, { key: 'acc', step: 1, value: 0.9 }] });
    await gqlOk(app.url, LOG, { runId: createRun.id, points: [{ key: 'acc', step: 1, value: 0.4 }] });
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { summaries { key last min max count } } }`, { id: createRun.id });
    expect(run.summaries).toEqual([{ key: 'acc', last: 0.4, min: 0.2, max: 0.4, count: 2 }]);
  });

  it('counts epochs under their metric names, so a Keras run is found by val_accuracy', async () => {
    const { createRun } = await gqlOk(app.url, CREATE, { input: { name: 'keras-like', project: 'scratch' } });
    for (const [index, valAccuracy] of [0.6, 0.8, 0.7].entries()) {
      await gqlOk(app.url, `mutation($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { index } }`, {
        runId: createRun.id, input: { index, valAccuracy, loss: 1 - valAccuracy },
      });
    }
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { summary(key: "val_accuracy") { last min max count } } }`, { id: createRun.id });
    expect(run.summary).toEqual({ last: 0.7, min: 0.6, max: 0.8, count: 3 });
    const found = await gqlOk(app.url, PAGE, { first: 5, filter: { project: 'scratch', metrics: [{ key: 'val_accuracy', aggregate: 'MAX', gt: 0.75 }] } });
    expect(found.runs.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['keras-like']);
  });

  it('updates the config after start (logParams) and replaces nested parameters whole', async () => {
    const { createRun } = await gqlOk(app.url, CREATE, { input: { name: 'config-update', project: 'scratch', config: { optimizer: { name: 'sgd', momentum: 0.9 } } } });
    const { logParams } = await gqlOk(app.url, `mutation($id: ID!, $p: JSON!) { logParams(runId: $id, params: $p) { config params { key value } } }`, {
      id: createRun.id, p: { optimizer: { name: 'adam' }, batchSize: 32 },
    });
    expect(logParams.config).toEqual({ optimizer: { name: 'adam' }, batchSize: 32 });
    expect(logParams.params).toEqual([{ key: 'batchSize', value: '32' }, { key: 'optimizer.name', value: 'adam' }]);
    const bad = await gql(app.url, `mutation($id: ID!) { logParams(runId: $id, params: [1, 2]) { id } }`, { id: createRun.id });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/params/);
  });
});

describe('Query.runs filters and orders', () => {
  it('filters on a metric summary and a parameter together, counting only matches', async () => {
    const expected = runs.filter((r) => r.best !== null && r.best > 0.7 && r.lr === 0.001).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    const ids = await allPages({ filter: { project: 'sweep', metrics: [{ key: 'val_accuracy', aggregate: 'MAX', gt: 0.7 }], params: [{ key: 'learningRate', equals: '1e-3' }] } }, 2);
    expect(new Set(ids)).toEqual(new Set(expected));
    const count = await gqlOk(app.url, PAGE, { first: 0, filter: { project: 'sweep', params: [{ key: 'learningRate', lt: 0.005 }] } });
    expect(count.runs.totalCount).toBe(20);
    const text = await gqlOk(app.url, PAGE, { first: 0, filter: { project: 'sweep', params: [{ key: 'optimizer.name', equals: 'adam' }] } });
    expect(text.runs.totalCount).toBe(30);
  });

  it('sorts best first and pages through every run exactly once, runs without the metric last', async () => {
    const expected = bestFirst();
    const ids = await allPages({ filter: { project: 'sweep' }, orderBy: { metric: 'val_accuracy', aggregate: 'MAX' } }, 4);
    expect(ids).toEqual(expected);
    const ascending = await allPages({ filter: { project: 'sweep' }, orderBy: { metric: 'val_accuracy', aggregate: 'MAX', direction: 'ASC' } }, 7);
    expect(ascending.slice(0, 24)).toEqual(expected.slice(0, 24).reverse());
    expect(new Set(ascending.slice(24))).toEqual(new Set(expected.slice(24)));
  });

  it('continues after its cursor when a run with a value among those already seen arrives between pages', async () => {
    const order = { metric: 'val_accuracy', aggregate: 'MAX' };
    const first: Page = await gqlOk(app.url, PAGE, { first: 5, filter: { project: 'sweep' }, orderBy: order });
    expect(first.runs.edges.map((e) => e.node.id)).toEqual(bestFirst().slice(0, 5));
    const { createRun } = await gqlOk(app.url, CREATE, { input: { name: 'late', project: 'sweep' } });
    await gqlOk(app.url, LOG, { runId: createRun.id, points: [{ key: 'val_accuracy', step: 0, value: 0.99 }] });
    const rest = await allPages({ filter: { project: 'sweep' }, orderBy: order, after: first.runs.pageInfo.endCursor }, 10);
    expect(rest).toEqual(bestFirst().slice(5));
  });

  it('sorts by a numeric parameter', async () => {
    const ids = await allPages({ filter: { project: 'sweep', params: [{ key: 'learningRate', gt: 0 }] }, orderBy: { param: 'learningRate', direction: 'ASC' } }, 8);
    expect(ids).toHaveLength(30);
    const lrs = ids.map((id) => runs.find((r) => r.id === id)!.lr);
    expect(lrs).toEqual([...lrs].sort((a, b) => a - b));
  });

  it('refuses bad filters, orders and cursors with BAD_USER_INPUT naming the field', async () => {
    const noBound = await gql(app.url, PAGE, { first: 1, filter: { metrics: [{ key: 'val_accuracy' }] } });
    expect(errorCode(noBound)).toBe('BAD_USER_INPUT');
    expect(noBound.errors![0].message).toMatch(/filter\.metrics\[0\]/);
    const both = await gql(app.url, PAGE, { first: 1, orderBy: { metric: 'a', param: 'b' } });
    expect(errorCode(both)).toBe('BAD_USER_INPUT');
    expect(both.errors![0].message).toMatch(/orderBy/);
    const page = await gqlOk(app.url, PAGE, { first: 1, orderBy: { metric: 'val_accuracy' } });
    const otherOrder = await gql(app.url, PAGE, { first: 1, after: page.runs.pageInfo.endCursor, orderBy: { metric: 'val_accuracy', direction: 'ASC' } });
    expect(errorCode(otherOrder)).toBe('BAD_USER_INPUT');
    expect(otherOrder.errors![0].message).toMatch(/another orderBy/);
  });

  it('answers createRun with a client-chosen id idempotently', async () => {
    const id = '7d0b4c52-3f0e-4f4e-9a55-1c2d3e4f5a6b';
    const one = await gqlOk(app.url, CREATE, { input: { id, name: 'chosen', project: 'scratch' } });
    const two = await gqlOk(app.url, CREATE, { input: { id, name: 'chosen', project: 'scratch' } });
    expect(two.createRun.id).toBe(one.createRun.id);
    const count = await gqlOk(app.url, PAGE, { first: 0, filter: { nameContains: 'chosen' } });
    expect(count.runs.totalCount).toBe(1);
    const reused = await gql(app.url, CREATE, { input: { id, name: 'another' } });
    expect(errorCode(reused)).toBe('CONFLICT');
  });
});
