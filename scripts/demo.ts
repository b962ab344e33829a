/**
 * npm run demo: the study's pipeline end to end on this machine, through the public API only.
 *
 * Starts Epochal (embedded PostgreSQL, in-process worker, a temporary data folder) unless
 * EPOCHAL_URL names a running server; generates an OCT-like dataset with generateSyntheticDataset;
 * starts a TFJS training of SMALL_CNN with the recipe; follows it live over graphql-ws
 * (a progress bar per epoch from batch_loss points, a line per epoch); prints the TEST split's
 * per-class precision / recall / F1 and macro-F1.
 *
 * `npm run demo -- monitor`: a trained model deployed and watched instead (scripts/demo-monitor.ts).
 * `npm run demo -- study`: a learning curve, how little data is enough (scripts/demo-study.ts).
 *
 * Environment: EPOCHAL_URL (use that server: its base URL or its /graphql endpoint), EPOCHAL_API_KEY (its key, when it needs one),
 * DEMO_IMAGES_PER_LABEL (300), DEMO_IMAGE_SIZE (64), DEMO_KEEP=1 (keep the temporary folder:
 * the dataset, the models and the CSV log).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { demoServer } from './demo-server.js';
import { notGraphQL } from './graphql-endpoint.js';
import { removeEmbeddedCluster } from '../src/db/embedded-postgres.js';

const IMAGES_PER_LABEL = Number(process.env.DEMO_IMAGES_PER_LABEL ?? 300);
const IMAGE_SIZE = Number(process.env.DEMO_IMAGE_SIZE ?? 64);
const GOAL = { macroF1: 0.9, seconds: 600 };

/**
 * The recipe (TfjsConfigInput's defaults) with what had to change for a from-scratch CNN
 * on two CPU cores, each measured on this dataset (docs/training.md, "What the demo measured").
 */
const RECIPE_CHANGES = {
  imageSize: { value: IMAGE_SIZE, study: 224, why: 'CPU budget: the small CNN at 64 px trains an epoch in seconds' },
  epochs: { value: 30, study: 50, why: 'it converges in 20-30 epochs; early stopping still applies' },
  earlyStoppingPatience: {
    value: 8, study: 5,
    why: 'val_loss on ~130 held-out scans swings from epoch to epoch: with 5, one run in three stopped at epoch 18 at macro-F1 0.90 (others: 0.98)',
  },
  fineTuneEpochs: { value: 3, study: 10, why: 'nothing is frozen without a pretrained base, so fine-tuning only continues at 1e-5' },
  augment: {
    value: false, study: true,
    why: 'its brightness (0.55-0.9) and zoom (0.73-0.9) only ever darken and enlarge, so TRAIN never looks like TEST: ' +
      'with it val accuracy swung between 0.23 and 0.78 for 12 epochs; without it, 0.94 by epoch 10',
  },
} as const;
const TFJS_CONFIG = {
  architecture: 'SMALL_CNN',
  ...Object.fromEntries(Object.entries(RECIPE_CHANGES).map(([key, change]) => [key, change.value])),
  batchLogEvery: 1,
  seed: 1,
};

interface Epoch { phase: string; index: number; loss: number; accuracy: number; valLoss: number | null; valAccuracy: number | null; learningRate: number; durationMs: number }
type RunEvent =
  | { __typename: 'EpochCompleted'; epoch: Epoch }
  | { __typename: 'MetricsLogged'; key: string; points: { step: number; value: number }[] }
  | { __typename: 'StatusChanged'; status: string; error: string | null }
  | { __typename: 'RunNote'; message: string };

const RUN_EVENTS = /* GraphQL */ `
  subscription ($runId: ID!) {
    runEvents(runId: $runId) {
      __typename
      ... on EpochCompleted { epoch { phase index loss accuracy valLoss valAccuracy learningRate durationMs } }
      ... on MetricsLogged { key points { step value } }
      ... on StatusChanged { status error }
      ... on RunNote { message }
    }
  }`;

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.EPOCHAL_API_KEY) headers.authorization = `Bearer ${process.env.EPOCHAL_API_KEY}`;

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const contentType = response.headers.get('content-type');
  // A proxy's or another app's HTML page would otherwise fail as "Unexpected token '<'".
  if (!contentType?.includes('json')) throw notGraphQL(url, response.status, contentType);
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`);
  return body.data;
}

function bar(done: number, total: number, width = 30): string {
  const filled = Math.min(width, Math.round((done / Math.max(1, total)) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.min(done, total)).padStart(3)}/${total}`;
}

const fixed = (value: number | null, digits = 3) => (value === null ? '  -  ' : value.toFixed(digits));

/** Follows the run live until it finishes; draws the current epoch's bar and prints each epoch. */
async function follow(client: Client, runId: string, batchesPerEpoch: number): Promise<string> {
  const tty = process.stdout.isTTY;
  let epochFirstStep = 0;
  let lastStep = 0;
  let loss = NaN;
  let phase = 'train';
  const draw = () => {
    if (tty) process.stdout.write(`\r  ${phase} ${bar(lastStep - epochFirstStep, batchesPerEpoch)} batch loss ${loss.toFixed(3)}  `);
  };
  const clear = () => tty && process.stdout.write('\r\x1b[2K');
  for await (const result of client.iterate<{ runEvents: RunEvent }>({ query: RUN_EVENTS, variables: { runId } })) {
    if (result.errors?.length) throw new Error(`subscription: ${result.errors.map((e) => e.message).join('; ')}`);
    const event = result.data!.runEvents;
    if (event.__typename === 'MetricsLogged' && event.key === 'batch_loss' && event.points.length) {
      const last = event.points[event.points.length - 1];
      [lastStep, loss] = [last.step, last.value];
      draw();
    } else if (event.__typename === 'EpochCompleted') {
      const e = event.epoch;
      clear();
      if (e.phase !== phase) console.log(`  -- ${e.phase} (all layers trainable, lr ${e.learningRate})`);
      phase = e.phase;
      epochFirstStep = lastStep;
      console.log(
        `  ${e.phase.padEnd(8)} epoch ${String(e.index + 1).padStart(2)}  loss ${fixed(e.loss)}  acc ${fixed(e.accuracy)}  ` +
          `val_loss ${fixed(e.valLoss)}  val_acc ${fixed(e.valAccuracy)}  lr ${e.learningRate}  ${(e.durationMs / 1000).toFixed(1)} s  (${elapsed().toFixed(0)} s)`,
      );
    } else if (event.__typename === 'RunNote') {
      clear();
      console.log(`  note: ${event.message}`);
    } else if (event.__typename === 'StatusChanged') {
      clear();
      if (event.status === 'RUNNING') console.log('  RUNNING');
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(event.status)) {
        if (event.error) console.log(`  ${event.status}: ${event.error}`);
        return event.status;
      }
    }
  }
  throw new Error('the subscription ended before the run finished');
}

interface Evaluation { accuracy: number; macroF1: number; testImages: number; labels: string[]; confusionMatrix: number[][]; perClass: { label: string; precision: number; recall: number; f1: number; support: number }[] }

function printEvaluation(evaluation: Evaluation): void {
  console.log(`\nTEST split (${evaluation.testImages} images)`);
  console.log('  label      precision  recall     f1   support');
  for (const c of evaluation.perClass) {
    console.log(`  ${c.label.padEnd(9)}  ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${c.f1.toFixed(3).padStart(5)}  ${String(c.support).padStart(8)}`);
  }
  console.log(`  accuracy ${evaluation.accuracy.toFixed(3)}   macro-F1 ${evaluation.macroF1.toFixed(3)}`);
  console.log('\nConfusion matrix (rows: true, columns: predicted)');
  console.log(`  ${''.padEnd(8)}${evaluation.labels.map((l) => l.padStart(8)).join('')}`);
  evaluation.confusionMatrix.forEach((row, i) => console.log(`  ${evaluation.labels[i].padEnd(8)}${row.map((n) => String(n).padStart(8)).join('')}`));
}

async function main(): Promise<number> {
  console.log(`Epochal demo: SMALL_CNN on ${IMAGES_PER_LABEL} synthetic OCT scans per label at ${IMAGE_SIZE} px`);
  const { url, app, dataDir } = await demoServer();
  console.log(`server ${url}${app ? ' (started here: embedded PostgreSQL, in-process worker, temporary data folder)' : ''}  (${elapsed().toFixed(1)} s)`);
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 3,
    connectionParams: process.env.EPOCHAL_API_KEY ? { authorization: `Bearer ${process.env.EPOCHAL_API_KEY}` } : undefined });
  try {
    const generated = await gql<{ generateSyntheticDataset: { id: string; classCounts: { split: string; label: string; count: number }[] } }>(url,
      `mutation ($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id classCounts { split label count } } }`,
      { input: { name: `demo-oct-${new Date().toISOString()}`, imagesPerLabel: IMAGES_PER_LABEL, imageSize: IMAGE_SIZE, seed: 1 } });
    const dataset = generated.generateSyntheticDataset;
    const counts = (split: string) => dataset.classCounts.filter((c) => c.split === split);
    console.log(`dataset ${dataset.id}  (${elapsed().toFixed(1)} s)`);
    for (const split of ['TRAIN', 'TEST']) console.log(`  ${split.padEnd(5)} ${counts(split).map((c) => `${c.label} ${c.count}`).join(', ')}`);

    console.log('\nrecipe: the study\'s (class weights balanced, Adam 1e-3, batch 32, 20% of TRAIN held out, early stopping and LR reduction on val_loss), except:');
    for (const [key, change] of Object.entries(RECIPE_CHANGES)) console.log(`  ${key} ${change.value} (study: ${change.study}): ${change.why}`);
    const started = await gql<{ startTraining: { id: string } }>(url,
      `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
      { input: { name: 'demo small CNN', datasetId: dataset.id, trainer: 'TFJS', tags: ['demo'], tfjs: TFJS_CONFIG } });
    const runId = started.startTraining.id;
    console.log(`run ${runId}\n`);

    const trainImages = counts('TRAIN').reduce((sum, c) => sum + c.count, 0);
    const heldOut = counts('TRAIN').reduce((sum, c) => sum + Math.max(1, Math.round(c.count * 0.2)), 0);
    const status = await follow(client, runId, Math.ceil((trainImages - heldOut) / 32));

    const { run } = await gql<{ run: { engine: string; outputs: Record<string, unknown> | null; evaluation: Evaluation | null; artifacts: { kind: string; uri: string }[] } }>(url,
      `query ($id: ID!) { run(id: $id) { engine outputs artifacts { kind uri }
        evaluation { accuracy macroF1 testImages labels confusionMatrix perClass { label precision recall f1 support } } } }`, { id: runId });
    console.log(`\nengine ${run.engine}; outputs ${JSON.stringify(run.outputs)}`);
    for (const artifact of run.artifacts) console.log(`  artifact ${artifact.kind}: ${artifact.uri}`);
    if (status !== 'SUCCEEDED' || !run.evaluation) return 1;
    printEvaluation(run.evaluation);
    const seconds = elapsed();
    const met = run.evaluation.macroF1 >= GOAL.macroF1 && seconds < GOAL.seconds;
    console.log(`\nmacro-F1 ${run.evaluation.macroF1.toFixed(3)} in ${seconds.toFixed(0)} s wall time: goal (macro-F1 >= ${GOAL.macroF1} in under ${GOAL.seconds} s) ${met ? 'met' : 'NOT met'}`);
    return 0;
  } finally {
    await client.dispose();
    await app?.stop();
    if (dataDir && process.env.DEMO_KEEP === '1') console.log(`kept ${dataDir} (the embedded database's files may live elsewhere when run as root)`);
    else if (dataDir) {
      removeEmbeddedCluster(path.join(dataDir, 'postgres'));
      await rm(dataDir, { recursive: true, force: true });
      console.log('(the temporary folder with the dataset and artifacts was removed; DEMO_KEEP=1 keeps it)');
    }
  }
}

const DEMOS: Record<string, () => Promise<number>> = {
  monitor: () => import('./demo-monitor.js').then((m) => m.monitorDemo()),
  study: () => import('./demo-study.js').then((m) => m.studyDemo()),
};
(DEMOS[process.argv[2] ?? ''] ?? main)().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
