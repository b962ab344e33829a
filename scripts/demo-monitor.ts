/**
 * npm run demo -- monitor: a model in use, watched. Trains a small CNN on
 * synthetic OCT scans, deploys it (the reference is its TEST split), streams
 * in-distribution scans, then the same scans as "another scanner" would take
 * them (brighter: the BRIGHTNESS corruption of TEST at severity 3, made with
 * deriveDataset as a robustness study would), and prints each
 * window and alert live as deploymentEvents delivers them. Late truth gives
 * windows their macro-F1.
 *
 * Environment: EPOCHAL_URL / EPOCHAL_API_KEY (use that server), DEMO_KEEP=1.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { demoServer } from './demo-server.js';
import { removeEmbeddedCluster } from '../src/db/embedded-postgres.js';

const WINDOW = 40;
/** Another scanner: every pixel + 0.3 of full scale (docs/studies.md lists the levels). */
const SHIFT = { kind: 'BRIGHTNESS', severity: 3 };
const ALERTS = [
  { metric: 'INPUT_DRIFT', above: 0.5 },
  { metric: 'PREDICTED_CLASS_PSI', above: 0.25 },
  { metric: 'MEAN_CONFIDENCE', below: 0.6 },
  { metric: 'MACRO_F1', below: 0.6 },
];
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.EPOCHAL_API_KEY) headers.authorization = `Bearer ${process.env.EPOCHAL_API_KEY}`;
const started = performance.now();
const t = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const red = (s: string) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`);
  return body.data;
}

/** A fixed (seeded) Fisher-Yates shuffle, so every demo run streams the same order. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 7;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 250));
};

export async function monitorDemo(): Promise<number> {
  const { url, app, dataDir } = await demoServer('epochal-demo-monitor-');
  console.log(`Epochal monitor demo: server ${url} (${t()})`);
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 3,
    connectionParams: process.env.EPOCHAL_API_KEY ? { authorization: `Bearer ${process.env.EPOCHAL_API_KEY}` } : undefined });
  try {
    const { generateSyntheticDataset: dataset } = await gql(url, `mutation ($name: String!) { generateSyntheticDataset(input: { name: $name, imagesPerLabel: 200, imageSize: 32, seed: 1 }) { id } }`,
      { name: `demo-monitor-${new Date().toISOString()}` });
    const { startTraining: run } = await gql(url, `mutation ($d: ID!) { startTraining(input: { name: "monitor demo", datasetId: $d, trainer: TFJS, tags: ["demo"],
      tfjs: { architecture: SMALL_CNN, imageSize: 32, channels: 1, epochs: 25, fineTuneEpochs: 0, augment: false, earlyStoppingPatience: 6, seed: 1 } }) { id } }`, { d: dataset.id });
    console.log(`training run ${run.id} (SMALL_CNN, 32 px) …`);
    await until(async () => {
      const { run: r } = await gql(url, `query ($id: ID!) { run(id: $id) { status error } }`, { id: run.id });
      if (r.status === 'FAILED' || r.status === 'CANCELLED') throw new Error(`training ${r.status}: ${r.error}`);
      return r.status === 'SUCCEEDED';
    });
    const { run: trained } = await gql(url, `query ($id: ID!) { run(id: $id) { evaluation { macroF1 } } }`, { id: run.id });
    console.log(`trained: TEST macro-F1 ${trained.evaluation.macroF1.toFixed(3)} (${t()})`);

    const { deploy } = await gql(url, `mutation ($input: DeployInput!) { deploy(input: $input) { id status } }`, { input: { runId: run.id, name: 'oct monitor demo', windowSize: WINDOW, alerts: ALERTS } });
    console.log(`deployment ${deploy.id} ${deploy.status}; alert rules: ${ALERTS.map((a) => `${a.metric} ${'above' in a ? `> ${a.above}` : `< ${a.below}`}`).join(', ')}`);
    const events = client.iterate<any>({ query: `subscription ($id: ID!) { deploymentEvents(deploymentId: $id) { __typename
      ... on DeploymentStatusChanged { status error }
      ... on WindowClosed { window { index predictedClassPsi inputDrift meanConfidence predictedShare { label score } } }
      ... on AlertRaised { alert { metric window value threshold } } } }`, variables: { id: deploy.id } });
    let active: () => void = () => {};
    const isActive = new Promise<void>((resolve) => (active = resolve));
    const printing = (async () => {
      for await (const result of events) {
        const e = result.data?.deploymentEvents;
        if (!e) continue;
        if (e.__typename === 'DeploymentStatusChanged') {
          console.log(`  status ${e.status}${e.error ? `: ${e.error}` : ''} (${t()})`);
          if (e.status === 'ACTIVE') active();
        } else if (e.__typename === 'WindowClosed') {
          const w = e.window;
          console.log(`  window ${String(w.index).padStart(2)}  PSI ${w.predictedClassPsi.toFixed(3)}  input drift (KS) ${w.inputDrift.toFixed(3)}  mean confidence ${w.meanConfidence.toFixed(3)}  ` +
            `shares ${w.predictedShare.map((s: { label: string; score: number }) => `${s.label} ${(s.score * 100).toFixed(0)}%`).join(' ')}`);
        } else if (e.__typename === 'AlertRaised') {
          console.log(red(`  ALERT ${e.alert.metric} in window ${e.alert.window}: ${e.alert.value.toFixed(3)} (threshold ${e.alert.threshold})`));
        }
      }
    })();
    await isActive;

    const { dataset: d } = await gql(url, `query ($id: ID!) { dataset(id: $id) { images(split: TEST, first: 500) { uri label } } }`, { id: dataset.id });
    // Scans arrive in clinic order, not sorted by label: a fixed shuffle (the dataset lists TEST by label).
    const scans: { uri: string; label: string }[] = shuffled(d.images);
    const send = async (images: { uri?: string; base64?: string }[], labels: string[]) => {
      const { predict } = await gql(url, `mutation ($id: ID!, $images: [PredictImageInput!]!) { predict(deploymentId: $id, images: $images) { id } }`, { id: deploy.id, images });
      // Late truth, as a clinic would confirm it.
      await gql(url, `mutation ($id: ID!, $t: [TruthInput!]!) { recordTruth(deploymentId: $id, truths: $t) }`,
        { id: deploy.id, t: predict.map((p: { id: string }, i: number) => ({ predictionId: p.id, label: labels[i] })) });
    };
    console.log(`\nin-distribution scans (this scanner), ${scans.length} in batches of 16 (${t()})`);
    for (let i = 0; i < scans.length; i += 16) await send(scans.slice(i, i + 16).map((s) => ({ uri: s.uri })), scans.slice(i, i + 16).map((s) => s.label));
    const { deriveDataset: shifted } = await gql(url, `mutation ($input: DeriveDatasetInput!) { deriveDataset(input: $input) { id images(split: TEST, first: 500) { uri label } } }`,
      { input: { parentId: dataset.id, corruption: SHIFT } });
    const shiftedScans: { uri: string; label: string }[] = shuffled(shifted.images);
    console.log(`\nthe same scans from another scanner (deriveDataset: ${SHIFT.kind} severity ${SHIFT.severity} of TEST, dataset ${shifted.id}) (${t()})`);
    for (let i = 0; i < shiftedScans.length; i += 16) {
      const batch = shiftedScans.slice(i, i + 16);
      await send(batch.map((s) => ({ uri: s.uri })), batch.map((s) => s.label));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await events.return?.();
    await printing;
    const { deployment } = await gql(url, `query ($id: ID!) { deployment(id: $id) { alerts { metric window } windows(last: 100) { index evaluation { macroF1 } } } }`, { id: deploy.id });
    console.log(`\nmacro-F1 per window (late truth): ${deployment.windows.map((w: any) => `${w.index}: ${w.evaluation?.macroF1.toFixed(2) ?? '–'}`).join('  ')}`);
    console.log(`${deployment.alerts.length} alert(s); first at window ${deployment.alerts[0]?.window ?? '–'}. The dashboard shows them at ${url.replace(/\/graphql$/, '')}/deployments/${deploy.id}`);
    await gql(url, `mutation ($id: ID!) { undeploy(id: $id) { status } }`, { id: deploy.id });
    return deployment.alerts.length > 0 ? 0 : 1;
  } finally {
    await client.dispose();
    await app?.stop();
    if (dataDir && process.env.DEMO_KEEP !== '1') {
      removeEmbeddedCluster(path.join(dataDir, 'postgres'));
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}
