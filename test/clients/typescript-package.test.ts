import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);

/**
 * clients/typescript as a user gets it: `npm pack` (which builds dist/ with
 * types), the tarball installed into an empty project with --offline (the
 * package has no dependencies; graphql-ws, its optional peer, and what that
 * needs are linked from this checkout's node_modules, already on disk), then a
 * script type-checked against the shipped .d.ts and run against the server.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const repo = path.resolve('.');
const CONSUMER = `import WebSocket from 'ws';
import { finishRun, startRun, watchRun, type RunEvent } from '@epochal/client';

const url = process.argv[2];
const run = await startRun({ name: 'from-the-tarball', project: 'packaged', config: { lr: 0.01 } }, { url });
const seen: RunEvent['__typename'][] = [];
const watched = (async () => {
  for await (const event of watchRun(run.id, { url, afterStep: -1, webSocketImpl: WebSocket })) seen.push(event.__typename);
})();
for (let step = 0; step < 20; step++) run.logMetrics({ loss: 1 / (step + 1) }, step);
run.logEpoch(0, { loss: 0.5, valAccuracy: 0.75 });
const delivered: boolean = await finishRun(run);
await watched; // ends with the run's final status
console.log(JSON.stringify({ id: run.id, delivered, seen }));
`;

describe('TypeScript client package', () => {
  it('packs, installs offline into an empty project, type-checks and runs', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'epochal-ts-consumer-'));
    await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: path.join(repo, 'clients/typescript'), timeout: 120_000 });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    expect(tarball).toMatch(/^epochal-client-\d+\.\d+\.\d+\.tgz$/);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const linked = ['graphql-ws', 'graphql', 'ws'].map((name) => path.join(repo, 'node_modules', name));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`, ...linked], { cwd: dir, timeout: 180_000 });

    writeFileSync(path.join(dir, 'use.ts'), CONSUMER);
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', types: [], skipLibCheck: false, lib: ['ES2022', 'DOM'] },
      files: ['use.ts', 'shims.d.ts'],
    }));
    // The consumer's own needs, kept minimal: no @types/node or @types/ws in an offline empty project.
    writeFileSync(path.join(dir, 'shims.d.ts'), `declare module 'ws' { const WebSocket: unknown; export default WebSocket; }\ndeclare const process: { argv: string[] };\n`);
    await run(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, timeout: 120_000 }).catch((e) => {
      throw new Error(`the consumer does not type-check against the packed .d.ts:\n${e.stdout}${e.stderr}`);
    });
    const { stdout } = await run(process.execPath, [path.join(dir, 'out/use.js'), app.url], { cwd: dir, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.delivered).toBe(true);
    expect(result.seen).toContain('MetricsLogged');
    expect(result.seen.at(-1)).toBe('StatusChanged');
    const { run: stored } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { status project { name } metric(key: "loss") { totalPoints } epochs { valAccuracy } } }`, { id: result.id });
    expect(stored).toEqual({ status: 'SUCCEEDED', project: { name: 'packaged' }, metric: { totalPoints: 20 }, epochs: [{ valAccuracy: 0.75 }] });
  }, 300_000);
});
