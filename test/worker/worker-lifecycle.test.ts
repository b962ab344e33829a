import { spawn, type ChildProcess } from 'node:child_process';
import { loadTrainingEngine } from '../../src/trainers/tfjs/engine/select-engine.js';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { DATASET_IMAGES, gqlOk } from '../support/graphql-client.js';
import { tempDir } from '../support/temp-dir.js';
import { cancelRun, createDataset, makeDataset, startTraining, waitForStatus, type StartTrainingInput } from '../support/testkit.js';
import { createTrainingWorker, SHUTDOWN_ERROR, type JobOutcome, type TrainingWorker } from '../../src/training/worker/training-worker.js';
import { createTfjsTrainerJob } from '../../src/trainers/tfjs/tfjs-trainer-job.js';
import type { TrainerRegistry } from '../../src/training/worker/trainer-job.js';

/**
 * Workers as separate things from the API (EPOCHAL_WORKER=off): a run cancelled
 * before any worker took it, a trainer kind nobody registered, and a worker
 * process killed mid-training whose run another worker's sweeper fails.
 */
const RUN = /* GraphQL */ `
  query ($id: ID!) { run(id: $id) { status error workerId engine startedAt epochs { phase index } } }`;
const TINY_TFJS = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, batchLogEvery: 1, fineTuneEpochs: 0, seed: 5 };

const app = useTestApp({ inProcessWorker: false });
let syntheticId: string;
const workers: TrainingWorker[] = [];
const children: ChildProcess[] = [];
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  syntheticId = (await makeDataset(app, { name: 'lifecycle', imagesPerLabel: 20, imageSize: 24, seed: 9 })).id;
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const worker of workers.splice(0)) await worker.stop();
});

/** A worker in this process over the app's queue, database and events, with its own timings. */
async function startWorker(options: { heartbeatMs?: number; lostAfterMs?: number; sweepEveryMs?: number; trainers?: TrainerRegistry } = {}) {
  const settled: { runId: string; outcome: JobOutcome }[] = [];
  const worker = createTrainingWorker({
    services: app.services, queue: app.queue, dataSource: app.dataSource, pubsub: app.pubsub, log,
    dataDir: tempDir('epochal-worker-'),
    trainers: { TFJS: createTfjsTrainerJob() },
    onJobSettled: (s) => settled.push(s),
    ...options,
  });
  workers.push(worker);
  await worker.start();
  return { worker, settled };
}

/** `npm run worker` as a separate process; by default on the app's database. */
function spawnWorkerProcess(env: Record<string, string | undefined> = { DATABASE_URL: app.databaseUrl }) {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, EPOCHAL_DATA_DIR: tempDir('epochal-child-'), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** A TFJS training of the synthetic dataset with TINY_TFJS, `input` on top; returns the run id. */
async function train(input: Partial<StartTrainingInput>): Promise<string> {
  return (await startTraining(app, { name: 'lifecycle run', datasetId: syntheticId, trainer: 'TFJS', tfjs: TINY_TFJS, ...input })).id;
}

const readRun = async (id: string) => (await gqlOk(app.url, RUN, { id })).run;

describe('training worker lifecycle', () => {
  it('never starts a run cancelled while QUEUED', async () => {
    const runId = await train({ tfjs: { ...TINY_TFJS, epochs: 1 } });
    await cancelRun(app, runId);

    const { settled } = await startWorker();
    await vi.waitFor(() => expect(settled).toContainEqual({ runId, outcome: 'skipped' }), { timeout: 30_000, interval: 100 });
    expect(await readRun(runId)).toMatchObject({ status: 'CANCELLED', workerId: null, engine: null, startedAt: null, epochs: [] });
  });

  it('leaves a job for a worker that can run it: two workers of different abilities on one database', async () => {
    const datasetId = await createDataset(app, { name: 'registered only', images: DATASET_IMAGES });
    // A TFJS-only worker (e.g. one without S3 settings) is running before either run is queued.
    const tfjsOnly = await startWorker();
    const rekognitionRunId = (await startTraining(app, { name: 'rekognition run', datasetId, trainer: 'REKOGNITION' })).id;
    const tfjsRunId = await train({ tfjs: { ...TINY_TFJS, epochs: 1 } });
    await vi.waitFor(() => expect(tfjsOnly.settled).toContainEqual({ runId: tfjsRunId, outcome: 'succeeded' }), { timeout: 60_000, interval: 100 });
    // It took the later TFJS job and never the REKOGNITION one, which waits QUEUED (before the fix: FAILED, "no REKOGNITION trainer").
    expect(tfjsOnly.settled.map((s) => s.runId)).not.toContain(rekognitionRunId);
    expect((await readRun(rekognitionRunId)).status).toBe('QUEUED');

    // A worker that has the REKOGNITION trainer (here a stand-in that logs one epoch) takes it.
    const rekognitionOnly = await startWorker({
      trainers: { REKOGNITION: { run: async (ctx) => ctx.services.metrics.logEpoch(ctx.run.id, { phase: 'train', index: 0, loss: 0.5 }) } },
    });
    await vi.waitFor(() => expect(rekognitionOnly.settled).toContainEqual({ runId: rekognitionRunId, outcome: 'succeeded' }), { timeout: 30_000, interval: 100 });
    const run = await readRun(rekognitionRunId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', workerId: rekognitionOnly.worker.workerId, epochs: [{ phase: 'train', index: 0 }] });
  });

  it('fails a TFJS run whose image files are missing with an error that names the file', async () => {
    const datasetId = await createDataset(app, { name: 'files elsewhere', images: DATASET_IMAGES });
    const runId = await train({ datasetId, tfjs: { ...TINY_TFJS, epochs: 1, validationSplit: 0.5 } });
    const { settled } = await startWorker();
    await vi.waitFor(() => expect(settled).toContainEqual({ runId, outcome: 'failed' }), { timeout: 30_000, interval: 100 });
    const run = await readRun(runId);
    expect(run.status).toBe('FAILED');
    expect(run.engine).toBe((await loadTrainingEngine()).name);
    expect(run.error).toMatch(/^Image file not found: \/data\/(train|test)\/(CNV|NORMAL)\/\d\.png\. The dataset lists it but this worker cannot see it/);
  });

  it('stop() fails the runs it is training ("worker shut down") and lets go of them', async () => {
    const runId = await train({ tfjs: { ...TINY_TFJS, epochs: 500, earlyStoppingPatience: 0, reduceLrPatience: 0, augment: false } });
    const { worker, settled } = await startWorker();
    await vi.waitFor(async () => expect((await readRun(runId)).epochs.length).toBeGreaterThan(0), { timeout: 30_000, interval: 100 });
    await worker.stop();
    expect(worker.activeRunIds()).toEqual([]);
    expect(settled).toContainEqual({ runId, outcome: 'failed' });
    expect(await readRun(runId)).toMatchObject({ status: 'FAILED', error: SHUTDOWN_ERROR });
  });

  it('npm run worker refuses to start without DATABASE_URL, saying what it needs', async () => {
    const { exited, output } = spawnWorkerProcess({ DATABASE_URL: undefined });
    expect(await exited).toBe(1);
    expect(output()).toContain('DATABASE_URL is not set. A worker trains the runs of a server by sharing its PostgreSQL');
  });

  it('npm run worker, on SIGTERM mid-training, fails its run ("worker shut down") and exits cleanly', async () => {
    const runId = await train({ tfjs: { ...TINY_TFJS, epochs: 500, earlyStoppingPatience: 0, reduceLrPatience: 0, augment: false } });
    const { child, output, exited } = spawnWorkerProcess();
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the worker process exited early (${child.exitCode}):\n${output()}`);
        expect((await readRun(runId)).epochs.length).toBeGreaterThan(0);
      },
      { timeout: 60_000, interval: 200 },
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await readRun(runId)).toMatchObject({ status: 'FAILED', error: SHUTDOWN_ERROR });
  });

  it('keeps stamping heartbeats while a training batch blocks the event loop', async () => {
    // A big model on WASM computes a batch synchronously for longer than the lost-worker threshold.
    let stampedDuringBlock: boolean | null = null;
    const blocking: TrainerRegistry = {
      TFJS: {
        engine: async () => ({ name: 'blocking-test-engine', gpuName: null }),
        run: async (ctx) => {
          const [{ before }] = await app.dataSource.query(`SELECT clock_timestamp() AS before`);
          const until = Date.now() + 1_500;
          while (Date.now() < until) {
            // a synchronous "batch"
          }
          const [{ stamped }] = await app.dataSource.query(`SELECT heartbeat_at > $2 AS stamped FROM runs WHERE id = $1`, [ctx.run.id, before]);
          stampedDuringBlock = stamped;
        },
      },
    };
    const runId = await train({ tfjs: { ...TINY_TFJS, epochs: 1 } });
    const { settled } = await startWorker({ heartbeatMs: 100, lostAfterMs: 1_000, sweepEveryMs: 200, trainers: blocking });
    await vi.waitFor(() => expect(settled.find((s) => s.runId === runId)).toBeDefined(), { timeout: 30_000, interval: 100 });
    expect(stampedDuringBlock).toBe(true);
    expect(settled.find((s) => s.runId === runId)!.outcome).toBe('succeeded');
    expect((await readRun(runId)).status).toBe('SUCCEEDED');
  });

  it('fails the run of a worker process killed mid-training ("worker lost") and does not run its job again', async () => {
    const runId = await train({ tfjs: { ...TINY_TFJS, epochs: 500, earlyStoppingPatience: 0, reduceLrPatience: 0, augment: false } });

    const { child, output, exited } = spawnWorkerProcess();

    const training = await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the worker process exited early (${child.exitCode}):\n${output()}`);
        const run = await readRun(runId);
        expect(run.status).toBe('RUNNING');
        expect(run.epochs.length).toBeGreaterThan(0);
        return run;
      },
      { timeout: 60_000, interval: 200 },
    );
    child.kill('SIGKILL');
    await exited;

    // Another worker's sweeper, with thresholds short enough for a test.
    const { settled } = await startWorker({ heartbeatMs: 100, lostAfterMs: 1_000, sweepEveryMs: 200 });
    await waitForStatus(app, runId, 'FAILED', 30_000);
    const failed = await readRun(runId);
    const workerId = training.workerId as string;
    expect(workerId).toMatch(/^.+:\d+:[0-9a-f]{8}$/);
    expect(failed.error).toMatch(new RegExp(`^worker lost: ${workerId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} stopped sending heartbeats at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; start the run again$`));
    expect(failed.workerId).toBe(workerId);

    // Its job stays with the dead worker: not retried (retryLimit 0), not taken by the live one.
    const [job] = await app.dataSource.query(`SELECT state, retry_limit AS "retryLimit", retry_count AS "retryCount" FROM pgboss.job WHERE name = 'training' AND data->>'runId' = $1`, [runId]);
    expect(job).toMatchObject({ state: 'active', retryLimit: 0, retryCount: 0 });
    expect(settled.filter((s) => s.runId === runId)).toEqual([]);
    expect((await readRun(runId)).epochs.length).toBe(failed.epochs.length);
  });
});
