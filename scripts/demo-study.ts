/**
 * npm run demo -- study: how little data is enough. Generates synthetic OCT scans, starts a
 * learning curve (nested TRAIN subsamples × seeds of the small CNN), follows it live over
 * studyEvents, then prints the curve (mean macro-F1, sample std, 95% interval of the mean) and the
 * minimal TRAIN size whose interval's lower end reaches macro-F1 0.9 (docs/studies.md).
 *
 * Environment: EPOCHAL_URL / EPOCHAL_API_KEY (use that server), DEMO_IMAGES_PER_LABEL (200),
 * DEMO_IMAGE_SIZE (32), DEMO_EPOCHS (30), DEMO_FRACTIONS (0.1,0.2,0.35,0.6,1), DEMO_SEEDS (1,2,3), DEMO_KEEP=1.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { demoServer } from './demo-server.js';
import { removeEmbeddedCluster } from '../src/db/embedded-postgres.js';

const list = (value: string | undefined, fallback: number[]) => (value ? value.split(',').map(Number) : fallback);
const IMAGES_PER_LABEL = Number(process.env.DEMO_IMAGES_PER_LABEL ?? 200);
const IMAGE_SIZE = Number(process.env.DEMO_IMAGE_SIZE ?? 32);
const FRACTIONS = list(process.env.DEMO_FRACTIONS, [0.1, 0.2, 0.35, 0.6, 1]);
const SEEDS = list(process.env.DEMO_SEEDS, [1, 2, 3]);
const TARGET = 0.9;
/**
 * The recipe, smaller: a from-scratch small CNN at 32 px for a few epochs so fifteen runs fit in
 * minutes on two cores. Augmentation off, as in `npm run demo`: the synthetic scans do not yet vary
 * the way the recipe's augmentation assumes (docs/training.md).
 */
const TFJS = { architecture: 'SMALL_CNN', imageSize: IMAGE_SIZE, channels: 1, epochs: Number(process.env.DEMO_EPOCHS ?? 30), fineTuneEpochs: 0, augment: false, earlyStoppingPatience: 8 };

const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.EPOCHAL_API_KEY) headers.authorization = `Bearer ${process.env.EPOCHAL_API_KEY}`;
const started = performance.now();
const t = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`);
  return body.data;
}

interface Point { arm: string; trainImages: number; runs: number; mean: number | null; std: number | null; low: number | null; high: number | null }
const f3 = (v: number | null) => (v == null ? '  –  ' : v.toFixed(3));

function printCurve(curve: Point[]): void {
  console.log('\n  arm    TRAIN images  runs  mean macro-F1   std    95% interval');
  for (const p of curve) {
    console.log(`  ${p.arm.padEnd(6)} ${String(p.trainImages).padStart(12)}  ${String(p.runs).padStart(4)}  ${f3(p.mean).padStart(13)}  ${f3(p.std).padStart(5)}   ` +
      `${p.low == null ? '–' : `${f3(p.low)} – ${f3(p.high)}`}`);
  }
}

export async function studyDemo(): Promise<number> {
  const { url, app, dataDir } = await demoServer('epochal-demo-study-');
  console.log(`Epochal study demo: a learning curve of SMALL_CNN at ${IMAGE_SIZE} px, ${FRACTIONS.length} fractions × ${SEEDS.length} seeds; server ${url} (${t()})`);
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 3,
    connectionParams: process.env.EPOCHAL_API_KEY ? { authorization: `Bearer ${process.env.EPOCHAL_API_KEY}` } : undefined });
  try {
    const { generateSyntheticDataset: dataset } = await gql(url, `mutation ($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id } }`,
      { input: { name: `demo-study-${new Date().toISOString()}`, imagesPerLabel: IMAGES_PER_LABEL, imageSize: IMAGE_SIZE, seed: 1 } });
    const { startLearningCurve: study } = await gql(url, `mutation ($input: LearningCurveInput!) { startLearningCurve(input: $input) {
      id arms { name dataset { classCounts { split count } } runs { id name } } } }`,
    { input: { name: 'how much data is enough', datasetId: dataset.id, trainer: 'TFJS', fractions: FRACTIONS, seeds: SEEDS, tfjs: TFJS, tags: ['demo'] } });
    const names = new Map<string, string>(study.arms.flatMap((a: { runs: { id: string; name: string }[] }) => a.runs.map((r) => [r.id, r.name])));
    console.log(`dataset ${dataset.id} (${IMAGES_PER_LABEL} scans per label); study ${study.id}: ${names.size} runs queued (${t()})`);
    for (const arm of study.arms) {
      const train = arm.dataset.classCounts.filter((c: { split: string }) => c.split === 'TRAIN').reduce((n: number, c: { count: number }) => n + c.count, 0);
      console.log(`  arm ${arm.name.padEnd(5)} ${String(train).padStart(4)} TRAIN images`);
    }

    let ended = 0;
    let status = 'RUNNING';
    for await (const result of client.iterate<any>({ query: `subscription ($id: ID!) { studyEvents(studyId: $id) { status run { runId status error } } }`, variables: { id: study.id } })) {
      if (result.errors?.length) throw new Error(`subscription: ${result.errors.map((e) => e.message).join('; ')}`);
      const event = result.data!.studyEvents;
      status = event.status;
      if (!event.run) break;
      if (!['QUEUED', 'RUNNING'].includes(event.run.status)) ended++;
      console.log(`  ${event.run.status.padEnd(9)} ${names.get(event.run.runId) ?? event.run.runId}${event.run.error ? `: ${event.run.error}` : ''}  ` +
        `[${ended}/${names.size} ended, study ${event.status}] (${t()})`);
    }
    const { study: done } = await gql(url, `query ($id: ID!, $target: Float!) { study(id: $id) { status curve { arm trainImages runs mean std low high }
      minimalTrainingSize(target: $target) } }`, { id: study.id, target: TARGET });
    console.log(`\nstudy ${status} in ${t()} wall time`);
    printCurve(done.curve);
    console.log(done.minimalTrainingSize == null
      ? `\nno arm's 95% interval reaches macro-F1 ${TARGET} at its lower end: more data (or more seeds, for a narrower interval) is needed`
      : `\nminimal TRAIN size for macro-F1 ${TARGET} (the interval's lower end): ${done.minimalTrainingSize} images`);
    console.log(`the dashboard shows it at ${url.replace(/\/graphql$/, '')}/studies/${study.id}`);
    return done.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await client.dispose();
    await app?.stop();
    if (dataDir && process.env.DEMO_KEEP !== '1') {
      removeEmbeddedCluster(path.join(dataDir, 'postgres'));
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}
