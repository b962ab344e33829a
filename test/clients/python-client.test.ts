import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gqlOk } from '../support/graphql-client.js';
import { startProxy } from './tcp-proxy.js';
import { PYTHON, preparePythonPackage } from './python-venv.js';

/**
 * The Python package (clients/python) as pip installs it, in a venv with
 * Keras 3 on JAX, against the real server: the with-block's outcome, the
 * durable spool through an outage (a TCP proxy this test takes down and brings
 * back), a process SIGKILLed between logging and sending whose spool the next
 * process or `python -m epochal sync` delivers, liveness (heartbeats while the
 * script logs nothing; an uncaught exception or Ctrl-C ending the run), and a
 * real Keras fit.
 */
let app: TestApp;

beforeAll(async () => {
  await preparePythonPackage();
  app = await startTestApp();
}, 20 * 60_000);
afterAll(async () => {
  await app?.stop();
});

interface Child {
  process: ChildProcess;
  output: string[];
  /** The first line starting with `prefix`, once printed. */
  line(prefix: string): Promise<string>;
  exit: Promise<number | null>;
}

function python(args: string[], env: Record<string, string>): Child {
  const child = spawn(PYTHON, args, { env: { ...process.env, EPOCHAL_SYSTEM_METRICS_SECONDS: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output.push(`${line}\n`);
    for (const w of waiting.filter((w) => line.startsWith(w.prefix))) w.resolve(line);
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    process: child,
    output,
    exit,
    line: (prefix) => {
      const seen = output.join('').split('\n').find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push({ prefix, resolve })),
        exit.then((code) => { throw new Error(`python exited ${code} before printing ${prefix}:\n${output.join('')}`); }),
      ]);
    },
  };
}

const scenario = (name: string, env: Record<string, string>) => python(['clients/python/tests/scenarios.py', name], env);
const spoolDir = () => mkdtempSync(path.join(os.tmpdir(), 'epochal-spool-'));

const RUN = `query($id: ID!, $key: String!) { run(id: $id) {
  name status error timeoutSeconds project { name } config params { key value } metricKeys
  metric(key: $key, maxPoints: 100000) { totalPoints points { step value } }
  epochs { phase index loss valAccuracy learningRate } artifacts { bytes } evaluation { accuracy }
} }`;
const readRun = async (id: string, key = 'batch_loss') => (await gqlOk(app.url, RUN, { id, key })).run;

describe('Python package', () => {
  it('ends a with-block SUCCEEDED with everything it logged, or FAILED with the exception', async () => {
    const child = scenario('basics', { EPOCHAL_URL: app.url, EPOCHAL_SPOOL_DIR: spoolDir() });
    expect(await child.exit, child.output.join('')).toBe(0);
    const id = (await child.line('RUN ')).split(' ')[1];
    const run = await readRun(id, 'loss');
    expect(run).toMatchObject({ name: 'py-basics', status: 'SUCCEEDED', project: { name: 'py-client' }, artifacts: [{ bytes: 15 }], evaluation: { accuracy: 0.85 } });
    expect(run.metric.points.map((p: { step: number }) => p.step)).toEqual([0, 1, 2, 3, 4]);
    expect(run.config).toEqual({ lr: 0.001, optimizer: { name: 'adam' }, batch_size: 64, augment: true });
    expect(run.params).toContainEqual({ key: 'augment', value: 'true' });
    expect(run.metricKeys).toEqual(['accuracy', 'loss', 'lr_after', 'summary/best_val_accuracy', 'val_accuracy']);
    const later = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { v: metric(key: "val_accuracy") { points { step } } l: metric(key: "lr_after") { points { step } } } }`, { id });
    expect([later.run.v.points[0].step, later.run.l.points[0].step]).toEqual([10, 11]);

    const failingId = (await child.line('FAILING ')).split(' ')[1];
    const failing = await readRun(failingId, 'loss');
    expect(failing).toMatchObject({ status: 'FAILED', error: 'ValueError: loss diverged at step 1', metric: { totalPoints: 1 } });
    const interruptedId = (await child.line('INTERRUPTED ')).split(' ')[1];
    expect(await readRun(interruptedId)).toMatchObject({ status: 'CANCELLED', error: 'KeyboardInterrupt' });
  });

  it('keeps an idle run alive with heartbeats, sent only once the run\'s creation is delivered, with its timeout_seconds', async () => {
    const proxy = await startProxy(new URL(app.url));
    await proxy.down();
    const child = scenario('idle', { EPOCHAL_URL: proxy.url(), EPOCHAL_SPOOL_DIR: spoolDir() });
    const id = (await child.line('STARTED ')).split(' ')[1];
    expect(await readRun(id)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500)); // heartbeats come due while the server is away; the sender backs off
    await proxy.up();
    child.process.stdin!.write('up\n');
    await child.line('WAITING');
    // The script logs nothing, so only heartbeats can move the run's last report on.
    const LIVENESS = 'query($id: ID!) { run(id: $id) { status timeoutSeconds reportedAt metricKeys } }';
    let firstSeen: string | undefined;
    await vi.waitFor(async () => {
      const run = (await gqlOk(app.url, LIVENESS, { id })).run;
      expect(run).toMatchObject({ status: 'RUNNING', timeoutSeconds: 600, metricKeys: [] });
      firstSeen ??= run.reportedAt;
      expect(Date.parse(run.reportedAt)).toBeGreaterThan(Date.parse(firstSeen!));
    }, { timeout: 30_000, interval: 100 });
    child.process.stdin!.write('done\n');
    await child.line('DELIVERED');
    expect(await child.exit).toBe(0);
    expect(child.output.join('')).not.toContain('heartbeats stop');
    expect(await readRun(id)).toMatchObject({ status: 'SUCCEEDED', timeoutSeconds: 600 });
    await proxy.down();
  });

  it('ends the open run FAILED with the exception when the script dies of one it never catches', async () => {
    const spool = spoolDir();
    const child = scenario('uncaught', { EPOCHAL_URL: app.url, EPOCHAL_SPOOL_DIR: spool });
    expect(await child.exit).toBe(1);
    expect(child.output.join('')).toMatch(/Traceback[\s\S]*RuntimeError: CUDA out of memory/); // Python still reports it
    const id = (await child.line('RUN ')).split(' ')[1];
    expect(await readRun(id, 'loss')).toMatchObject({ status: 'FAILED', error: 'RuntimeError: CUDA out of memory', timeoutSeconds: 3600, metric: { totalPoints: 1 } });
    expect(readdirSync(spool)).toEqual([]); // delivered before exit: nothing left for `epochal sync` to mark otherwise
  });

  it('ends the open run CANCELLED on Ctrl-C (SIGINT) outside any with-block', async () => {
    const child = scenario('interrupt', { EPOCHAL_URL: app.url, EPOCHAL_SPOOL_DIR: spoolDir() });
    const id = (await child.line('RUN ')).split(' ')[1];
    child.process.kill('SIGINT');
    await child.exit;
    expect(child.output.join('')).toContain('KeyboardInterrupt');
    expect(await readRun(id, 'loss')).toMatchObject({ status: 'CANCELLED', error: 'KeyboardInterrupt', metric: { totalPoints: 1 } });
  });

  it('returns from start_run at once while the server is away, and delivers everything when it is back', async () => {
    const proxy = await startProxy(new URL(app.url));
    await proxy.down();
    const child = scenario('offline', { EPOCHAL_URL: proxy.url(), EPOCHAL_SPOOL_DIR: spoolDir(), EPOCHAL_SYSTEM_METRICS_SECONDS: '0.1' });
    const id = (await child.line('LOGGED ')).split(' ')[1];
    expect(await readRun(id)).toBeNull(); // logged 500 points into a run the server has not heard of yet
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the sender meet refusals and the sampler run
    await proxy.up();
    child.process.stdin!.write('up\n');
    await child.line('DELIVERED');
    expect(await child.exit).toBe(0);
    const run = await readRun(id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', metric: { totalPoints: 500 }, epochs: [{ phase: 'train', index: 0, loss: 0.5, valAccuracy: 0.8 }] });
    expect(run.metricKeys).toEqual(expect.arrayContaining(['system/cpu_percent', 'system/memory_mb']));
    await proxy.down();
  });

  it('loses nothing when the process is SIGKILLed before sending: `python -m epochal sync` delivers it and ends the run FAILED', async () => {
    const proxy = await startProxy(new URL(app.url));
    await proxy.down();
    const spool = spoolDir();
    const child = scenario('killed', { EPOCHAL_URL: proxy.url(), EPOCHAL_SPOOL_DIR: spool });
    const id = (await child.line('LOGGED ')).split(' ')[1];
    child.process.kill('SIGKILL');
    await child.exit;
    expect(await readRun(id)).toBeNull();
    await proxy.up();
    const sync = python(['-m', 'epochal', 'sync'], { EPOCHAL_SPOOL_DIR: spool });
    expect(await sync.exit, sync.output.join('')).toBe(0);
    expect(sync.output.join('')).toContain('1 run(s) found; all delivered');
    const run = await readRun(id);
    expect(run).toMatchObject({ name: 'py-killed', status: 'FAILED', config: { seed: 7 }, metric: { totalPoints: 300 }, epochs: [{ index: 0, loss: 0.4 }] });
    expect(run.error).toMatch(/ended without finishing it/);
    expect(run.metricKeys).toContain('summary/note');
    expect(readdirSync(spool)).toEqual([]);
    await proxy.down();
  });

  it('sends a killed process\'s spool with the next run started on the machine', async () => {
    const proxy = await startProxy(new URL(app.url));
    await proxy.down();
    const spool = spoolDir();
    const killed = scenario('killed', { EPOCHAL_URL: proxy.url(), EPOCHAL_SPOOL_DIR: spool });
    const killedId = (await killed.line('LOGGED ')).split(' ')[1];
    killed.process.kill('SIGKILL');
    await killed.exit;
    await proxy.up();
    const next = scenario('next', { EPOCHAL_URL: proxy.url(), EPOCHAL_SPOOL_DIR: spool });
    expect(await next.exit, next.output.join('')).toBe(0);
    expect(await readRun(killedId)).toMatchObject({ status: 'FAILED', metric: { totalPoints: 300 } });
    expect(readdirSync(spool)).toEqual([]);
    await proxy.down();
  });

  it('reports a real Keras 3 fit (JAX) with EarlyStopping, ReduceLROnPlateau and a fine-tune phase', async () => {
    const child = scenario('keras', { EPOCHAL_URL: app.url, EPOCHAL_SPOOL_DIR: spoolDir(), KERAS_BACKEND: 'jax' });
    expect(await child.exit, child.output.join('')).toBe(0);
    const id = (await child.line('RUN ')).split(' ')[1];
    const trainEpochs = Number((await child.line('TRAIN-EPOCHS ')).split(' ')[1]);
    const batchSteps = Number((await child.line('BATCH-STEPS ')).split(' ')[1]);
    const run = await readRun(id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.config).toEqual({ backend: 'jax' });
    type Epoch = { phase: string; index: number; loss: number; learningRate: number | null };
    const phases = run.epochs.map((e: Epoch) => `${e.phase}:${e.index}`);
    expect(phases).toEqual([...Array.from({ length: trainEpochs }, (_, i) => `train:${i}`), 'finetune:0', 'finetune:1', 'finetune:2']);
    expect(run.epochs.every((e: Epoch) => Number.isFinite(e.loss) && e.learningRate! > 0)).toBe(true);
    expect(run.epochs.at(-1).learningRate).toBeCloseTo(0.001, 6);
    // Batch losses every 2nd batch of 6 batches per epoch, numbered across both phases.
    expect(run.metric.points.map((p: { step: number }) => p.step)).toEqual(Array.from({ length: Math.ceil(batchSteps / 2) }, (_, i) => i * 2));
  }, 180_000);
});
