import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { wsClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';
import { isFinished, makeDataset, startTraining } from '../support/testkit.js';

/**
 * The `scale` deployment in miniature: two API processes (no in-process
 * worker) and two `npm run worker` processes on one database. Trainings
 * started through one API run exactly once, on either worker, and their live
 * events reach a subscriber of the other API.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const TRAININGS = 4;
const TINY_TFJS = { architecture: 'SMALL_CNN', imageSize: 16, channels: 1, batchSize: 16, epochs: 1, fineTuneEpochs: 0, batchLogEvery: 1, augment: false };
const RUN_EVENTS = `subscription($runId: ID!) { runEvents(runId: $runId, afterStep: -1) {
  __typename ... on StatusChanged { status error } ... on EpochCompleted { epoch { phase index } } ... on MetricsLogged { key points { step } } } }`;

interface WorkerProcess { child: ChildProcess; workerId: string; output: () => string; stop(): Promise<void> }

/** `npm run worker`'s entrypoint; resolves once it says it is waiting for jobs. */
async function spawnWorker(databaseUrl: string): Promise<WorkerProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, EPOCHAL_DATA_DIR: tempDir('epochal-worker-'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const workerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"workerId":"([^"]+)"[^\n]*is waiting for jobs/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`worker exited:\n${output}`)));
  });
  return {
    child,
    workerId,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

type Event = { __typename: string; status?: string; error?: string | null; epoch?: { phase: string; index: number }; key?: string };

let databaseUrl: string;
let apiA: ServerProcess;
let apiB: ServerProcess;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // The first process migrates the fresh database; the others start on the migrated schema.
  apiA = await spawnServer(databaseUrl, { EPOCHAL_WORKER: 'off' });
  [apiB, ...workers] = await Promise.all([spawnServer(databaseUrl, { EPOCHAL_WORKER: 'off' }), spawnWorker(databaseUrl), spawnWorker(databaseUrl)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([...workers.map((w) => w.stop()), apiA?.stop(), apiB?.stop()]);
});

describe('two API processes and two workers on one database', () => {
  it('run every training exactly once, on both workers, with events crossing to the other API', async () => {
    const dataset = await makeDataset(apiA, { name: 'scale', imagesPerLabel: 8, imageSize: 16, seed: 11 });
    const client = wsClient(apiB.url);
    const runIds: string[] = [];
    const followed: Promise<Event[]>[] = [];
    for (let i = 0; i < TRAININGS; i++) {
      const { id: runId } = await startTraining(apiA, { name: `scale-${i}`, datasetId: dataset.id, trainer: 'TFJS', tfjs: { ...TINY_TFJS, seed: i + 1 } });
      runIds.push(runId);
      // Followed on the other API, from the start: QUEUED comes from its backlog, the rest live from the workers.
      followed.push((async () => {
        const events: Event[] = [];
        for await (const result of client.iterate<{ runEvents: Event }>({ query: RUN_EVENTS, variables: { runId } })) {
          if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
          const event = result.data!.runEvents;
          events.push(event);
          if (event.__typename === 'StatusChanged' && isFinished(event.status)) break;
        }
        return events;
      })());
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`trainings did not finish:\n${workers.map((w) => w.output().slice(-3000)).join('\n---\n')}`)), 100_000));
    const streams = await Promise.race([Promise.all(followed), timeout]);
    await client.dispose();

    for (const events of streams) {
      const statuses = events.filter((e) => e.__typename === 'StatusChanged').map((e) => e.status);
      expect(statuses).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
      expect(events.filter((e) => e.__typename === 'EpochCompleted').map((e) => `${e.epoch!.phase}:${e.epoch!.index}`)).toEqual(['train:0']);
      expect(events.some((e) => e.__typename === 'MetricsLogged' && e.key === 'batch_loss')).toBe(true);
    }

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // One worker per run, and both workers took part.
      const runs = await db.query(`SELECT id, status, worker_id FROM runs WHERE id = ANY($1::uuid[])`, [runIds]);
      expect(runs.rows.map((r) => r.status)).toEqual(Array(TRAININGS).fill('SUCCEEDED'));
      const workerIds = workers.map((w) => w.workerId);
      for (const run of runs.rows) expect(workerIds).toContain(run.worker_id);
      expect(new Set(runs.rows.map((r) => r.worker_id)).size).toBe(2);
      // pg-boss: one job per run, completed once (completed jobs may already be archived). The run's
      // SUCCEEDED commits inside the job's handler, before pg-boss marks the job completed: wait for that.
      const jobStates = async () => {
        const jobs = await db.query(
          `SELECT data->>'runId' AS "runId", state FROM pgboss.job WHERE name = 'training'
           UNION ALL SELECT data->>'runId', state FROM pgboss.archive WHERE name = 'training'`);
        return runIds.map((runId) => jobs.rows.filter((j) => j.runId === runId).map((j) => j.state));
      };
      await vi.waitFor(async () => expect(await jobStates()).toEqual(runIds.map(() => ['completed'])), { timeout: 30_000, interval: 200 });
      // Epochs once each (the key forbids duplicates; a second training would have rewritten them, and logged twice).
      const epochs = await db.query(`SELECT run_id, count(*)::int AS n FROM epochs WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`, [runIds]);
      expect(epochs.rows.map((r) => r.n)).toEqual(Array(TRAININGS).fill(1));
    } finally {
      await db.end();
    }
    // Each job was handled by exactly one worker, once.
    for (const runId of runIds) {
      const settled = workers.flatMap((w) => w.output().split('\n').filter((line) => line.includes(`training job for run ${runId}:`)));
      expect(settled).toHaveLength(1);
      expect(settled[0]).toMatch(/succeeded/);
    }
  }, 150_000);
});
