import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { createDataset, createRun } from '../support/testkit.js';
import { startDashboardApp, type DashboardApp } from './dashboard-app.js';

/** Serving the dashboard (SPA fallback) and the two file routes, over plain HTTP. */
let app: DashboardApp;

beforeAll(async () => {
  app = await startDashboardApp();
});
afterAll(async () => {
  await app?.stop();
});

const get = (p: string, accept = 'text/html') => fetch(`${app.origin}${p}`, { headers: { accept } });

describe('dashboard static files', () => {
  it('answers dashboard paths with index.html and leaves API paths alone', async () => {
    for (const p of ['/', '/runs', '/runs/0b0e5b8e-0000-4000-8000-000000000000', '/compare?ids=a,b', '/datasets']) {
      const response = await get(p);
      expect(response.status, p).toBe(200);
      expect(await response.text(), p).toContain('<div id="app">');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const html = await (await get('/')).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const script = await get(asset, '*/*');
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/gone-1234.js', '*/*')).status).toBe(404);

    const graphql = await get(`/graphql?query=${encodeURIComponent('{ serverInfo { version } }')}`, 'application/json');
    expect((await graphql.json()).data.serverInfo.version).toBeTruthy();
    for (const p of ['/api/nothing-here', '/healthz', '/readyz']) expect(await (await get(p)).text(), p).not.toContain('<div id="app">');
  });
});

describe('GET /api/datasets/:id/image', () => {
  it('serves a registered image inside the server’s folders, and nothing else', async () => {
    const { generateSyntheticDataset: dataset } = await gqlOk(app.url,
      `mutation { generateSyntheticDataset(input: { name: "thumbs", imagesPerLabel: 3, imageSize: 32 }) { id images(label: "CNV", first: 1) { uri label split } } }`);
    const [image] = dataset.images;
    const url = (d: string, params: Record<string, string>) => `/api/datasets/${d}/image?${new URLSearchParams(params)}`;
    const ok = await get(url(dataset.id, image), 'image/*');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await ok.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    // Registered under another label, or not at all: 404 with a message.
    const wrongLabel = await get(url(dataset.id, { ...image, label: 'DME' }));
    expect(wrongLabel.status).toBe(404);
    expect((await wrongLabel.json()).error).toContain('has no TRAIN image labelled DME');
    expect((await get(url('not-a-uuid', image))).status).toBe(404);
    expect((await get(`/api/datasets/${dataset.id}/image?uri=x`)).status).toBe(400);

    // Registered by a client, but outside EPOCHAL_IMPORT_ROOTS and the data dir: refused.
    const textFile = path.join(app.dataDir, 'notes.png');
    writeFileSync(textFile, 'not an image at all');
    const foreign = await createDataset(app, {
      name: 'foreign',
      images: [{ uri: '/etc/passwd', label: 'X', split: 'TRAIN' }, { uri: textFile, label: 'X', split: 'TEST' }, { uri: 's3://bucket/a.png', label: 'X', split: 'TEST' }],
    });
    const outside = await get(url(foreign, { uri: '/etc/passwd', label: 'X', split: 'TRAIN' }));
    expect(outside.status).toBe(403);
    expect((await outside.json()).error).toContain('outside the folders');
    // Inside, but not an image (by its bytes, whatever its name says).
    expect((await get(url(foreign, { uri: textFile, label: 'X', split: 'TEST' }))).status).toBe(415);
    expect((await get(url(foreign, { uri: 's3://bucket/a.png', label: 'X', split: 'TEST' }))).status).toBe(404);
  });
});

describe('GET /api/runs/:id/artifacts/download', () => {
  it('downloads a file artifact as it is and a model folder as a tar archive', async () => {
    const runId = await createRun(app, { name: 'with-artifacts' });
    const runDir = path.join(app.dataDir, 'runs', runId);
    mkdirSync(path.join(runDir, 'model', 'shards'), { recursive: true });
    writeFileSync(path.join(runDir, 'training.csv'), 'epoch,loss\n0,0.9\n');
    writeFileSync(path.join(runDir, 'model', 'model.json'), JSON.stringify({ format: 'layers-model' }));
    writeFileSync(path.join(runDir, 'model', 'shards', 'group1-shard1of1.bin'), Buffer.alloc(1500, 7));
    const csvUri = pathToFileURL(path.join(runDir, 'training.csv')).href;
    const modelUri = pathToFileURL(path.join(runDir, 'model')).href;
    await app.services.artifacts.upsert({ runId: runId, kind: 'csv-log', uri: csvUri, bytes: 17 });
    await app.services.artifacts.upsert({ runId: runId, kind: 'model', uri: modelUri, bytes: 1530 });
    await app.services.artifacts.upsert({ runId: runId, kind: 'foreign', uri: 'file:///etc/hostname', bytes: 1 });
    const download = (uri: string) => get(`/api/runs/${runId}/artifacts/download?uri=${encodeURIComponent(uri)}`, '*/*');

    const csv = await download(csvUri);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('filename="training.csv"');
    expect(await csv.text()).toBe('epoch,loss\n0,0.9\n');

    const tar = await download(modelUri);
    expect(tar.status).toBe(200);
    expect(tar.headers.get('content-type')).toBe('application/x-tar');
    const tarFile = path.join(app.dataDir, 'model.tar');
    writeFileSync(tarFile, Buffer.from(await tar.arrayBuffer()));
    expect(execFileSync('tar', ['-tf', tarFile], { encoding: 'utf8' }).trim().split('\n')).toEqual(['model/model.json', 'model/shards/group1-shard1of1.bin']);
    const extracted = path.join(app.dataDir, 'extracted');
    mkdirSync(extracted);
    execFileSync('tar', ['-xf', tarFile, '-C', extracted]);
    expect(execFileSync('cmp', [path.join(extracted, 'model/shards/group1-shard1of1.bin'), path.join(runDir, 'model/shards/group1-shard1of1.bin')]).length).toBe(0);

    expect((await download('file:///not/recorded')).status).toBe(404);
    expect((await download('file:///etc/hostname')).status).toBe(403);
  });
});
