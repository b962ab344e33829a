import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { createDataset, createRun } from '../support/testkit.js';

const app = useTestApp();
let datasetId: string;
const createdIds: string[] = [];

beforeAll(async () => {
  datasetId = await createDataset(app, { name: 'oct-mini' });
  for (let i = 0; i < 120; i++) {
    createdIds.push(await createRun(app, {
      name: `run-${String(i).padStart(3, '0')}`, tags: i % 3 === 0 ? ['vgg16'] : ['xception'], datasetId: i % 2 === 0 ? datasetId : null,
    }));
  }
});

const PAGE = `query($first: Int, $after: String, $filter: RunFilter) {
  runs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } }
}`;

describe('Query.runs', () => {
  it('pages through 120 runs newest first, each exactly once, with opaque cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    type Page = { runs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } };
    let pages = 0;
    for (;;) {
      const { runs }: Page = await gqlOk(app.url, PAGE, { first: 25, after });
      expect(runs.totalCount).toBe(120);
      seen.push(...runs.edges.map((e) => e.node.id));
      pages++;
      if (!runs.pageInfo.hasNextPage) break;
      after = runs.pageInfo.endCursor;
      expect(after).not.toMatch(/^\d+$/);
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...createdIds].reverse());
  });

  it('keeps its order stable when runs are added between pages', async () => {
    const first = await gqlOk(app.url, PAGE, { first: 10 });
    const extra = await createRun(app, { name: 'late arrival' });
    const second = await gqlOk(app.url, PAGE, { first: 10, after: first.runs.pageInfo.endCursor });
    const ids = second.runs.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).not.toContain(extra);
    expect(ids[0]).toBe(createdIds[createdIds.length - 11]);
  });

  it('filters by tag, dataset, trainer, status and name, counting only matches', async () => {
    const byTag = await gqlOk(app.url, PAGE, { first: 200, filter: { tag: 'vgg16' } });
    expect(byTag.runs.totalCount).toBe(40);
    const byDataset = await gqlOk(app.url, PAGE, { first: 5, filter: { datasetId } });
    expect(byDataset.runs.totalCount).toBe(60);
    expect(byDataset.runs.edges).toHaveLength(5);
    const byName = await gqlOk(app.url, PAGE, { first: 50, filter: { nameContains: 'run-11' } });
    expect(byName.runs.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual(
      ['run-110', 'run-111', 'run-112', 'run-113', 'run-114', 'run-115', 'run-116', 'run-117', 'run-118', 'run-119'],
    );
    const wildcard = await gqlOk(app.url, PAGE, { first: 50, filter: { nameContains: '%' } });
    expect(wildcard.runs.totalCount).toBe(0);
    const none = await gqlOk(app.url, PAGE, { first: 50, filter: { trainer: ['TFJS'], status: ['RUNNING'] } });
    expect(none.runs.totalCount).toBe(0);
    const running = await gqlOk(app.url, PAGE, { first: 1, filter: { trainer: ['EXTERNAL'], status: ['RUNNING'] } });
    expect(running.runs.totalCount).toBeGreaterThanOrEqual(120);
  });

  it('refuses a forged cursor and an oversized page with BAD_USER_INPUT', async () => {
    expect(errorCode(await gql(app.url, PAGE, { first: 10, after: 'bm90LWEtY3Vyc29y' }))).toBe('BAD_USER_INPUT');
    const tooMany = await gql(app.url, PAGE, { first: 5000 });
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].message).toMatch(/first must be between 0 and 200/);
  });
});

describe('run lifecycle', () => {
  it('finishes an EXTERNAL run once, answers a retry with the same run, and refuses a different ending', async () => {
    const id = createdIds[0];
    const finish = `mutation($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { status error finishedAt } }`;
    const done = await gqlOk(app.url, finish, { id, status: 'FAILED', error: 'diverged' });
    expect(done.finishRun).toMatchObject({ status: 'FAILED', error: 'diverged' });
    const again = await gqlOk(app.url, finish, { id, status: 'FAILED', error: 'diverged' });
    expect(again.finishRun.finishedAt).toBe(done.finishRun.finishedAt);
    const other = await gql(app.url, finish, { id, status: 'SUCCEEDED' });
    expect(errorCode(other)).toBe('CONFLICT');
    expect(errorCode(await gql(app.url, finish, { id: createdIds[1], status: 'RUNNING' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(app.url, `mutation { cancelRun(id: "${id}") { id } }`))).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for unknown and malformed ids', async () => {
    expect(errorCode(await gql(app.url, `mutation { cancelRun(id: "00000000-0000-0000-0000-000000000000") { id } }`))).toBe('NOT_FOUND');
    expect(errorCode(await gql(app.url, `mutation { finishRun(id: "'; DROP TABLE runs; --", status: SUCCEEDED) { id } }`))).toBe('NOT_FOUND');
    expect((await gqlOk(app.url, `{ run(id: "nope") { id } }`)).run).toBeNull();
    expect(errorCode(await gql(app.url, `mutation { createRun(input: { name: "x", datasetId: "00000000-0000-0000-0000-000000000000" }) { id } }`))).toBe('NOT_FOUND');
  });

  it('validates createRun input and stores nothing when it is bad', async () => {
    const before = (await gqlOk(app.url, `{ runs(first: 0) { totalCount } }`)).runs.totalCount;
    const blank = await gql(app.url, `mutation { createRun(input: { name: "  " }) { id } }`);
    expect(errorCode(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors![0].message).toMatch(/name must not be empty/);
    expect(errorCode(await gql(app.url, `mutation { createRun(input: { name: "x", config: [1, 2] }) { id } }`))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(app.url, `mutation($t: [String!]) { createRun(input: { name: "x", tags: $t }) { id } }`, { t: ['x'.repeat(65)] }))).toBe('BAD_USER_INPUT');
    expect((await gqlOk(app.url, `{ runs(first: 0) { totalCount } }`)).runs.totalCount).toBe(before);
  });
});
