import { DATASET_IMAGES, gql } from './graphql-client.js';

/**
 * The test kit: the steps tests take again and again to set a server up,
 * through its GraphQL API as any client would (nothing here reaches into src/).
 * A test keeps its own GraphQL for what it is about (a mutation's exact answer
 * or error) and uses these for the rest. Each throws on a GraphQL error, naming
 * the operation, so a setup step that fails fails the test with the reason.
 */

/** A server: its URL, or anything with one (a TestApp, a ServerProcess, a DashboardApp); withKey() adds an API key. */
export type Target = string | { readonly url: string; readonly key?: string };

/** `target` calling with `Authorization: Bearer <key>`. */
export function withKey(target: Target, key: string): Target {
  return { url: typeof target === 'string' ? target : target.url, key };
}

export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
/** The statuses a run ends in. */
export const FINISHED: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
export const isFinished = (status: string | null | undefined) => (FINISHED as readonly (string | null | undefined)[]).includes(status);

export interface MetricInput { key: string; step: number; value: number; time?: string }
export interface EpochInput {
  phase?: string; index: number;
  loss?: number; accuracy?: number; valLoss?: number; valAccuracy?: number; learningRate?: number; durationMs?: number;
}
export interface ImageInput { uri: string; label: string; split: string; contentHash?: string | null }
export interface ClassCount { split: string; label: string; count: number }

async function send<T>(target: Target, operation: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const { url, key } = typeof target === 'string' ? { url: target, key: undefined } : target;
  const result = await gql<T>(url, query, variables, key ? { authorization: `Bearer ${key}` } : {});
  if (result.errors?.length || !result.data) throw new Error(`${operation} failed (HTTP ${result.status}): ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** An EXTERNAL run (RUNNING from the start, until finishRun); returns its id. */
export async function createRun(target: Target, input: { name: string; datasetId?: string | null; config?: unknown; tags?: string[] }): Promise<string> {
  const data = await send<{ createRun: { id: string } }>(target, 'createRun', `mutation ($input: CreateRunInput!) { createRun(input: $input) { id } }`, { input });
  return data.createRun.id;
}

/** Logs one batch (at most 10,000 points); returns how many were accepted. */
export async function logMetrics(target: Target, runId: string, points: MetricInput[]): Promise<number> {
  const data = await send<{ logMetrics: { accepted: number } }>(target, 'logMetrics',
    `mutation ($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`, { runId, points });
  return data.logMetrics.accepted;
}

/** `count` points of one key at steps from, from+1, …; value(step) gives each value (1 when not given). */
export function metricPoints(key: string, from: number, count: number, value: (step: number) => number = () => 1): MetricInput[] {
  return Array.from({ length: count }, (_, i) => ({ key, step: from + i, value: value(from + i) }));
}

/** Logs (or replaces) one epoch; phase "train" unless given. */
export async function logEpoch(target: Target, runId: string, input: EpochInput): Promise<void> {
  await send(target, 'logEpoch', `mutation ($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { index } }`, { runId, input });
}

/** Ends an EXTERNAL run (SUCCEEDED unless told otherwise). */
export async function finishRun(target: Target, runId: string, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' = 'SUCCEEDED', error?: string): Promise<void> {
  await send(target, 'finishRun', `mutation ($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { id } }`,
    { id: runId, status, ...(error === undefined ? {} : { error }) });
}

/** Cancels a QUEUED or RUNNING run; returns the status it answered with. */
export async function cancelRun(target: Target, runId: string): Promise<RunStatus> {
  const data = await send<{ cancelRun: { status: RunStatus } }>(target, 'cancelRun', `mutation ($id: ID!) { cancelRun(id: $id) { status } }`, { id: runId });
  return data.cancelRun.status;
}

/** Records (or replaces) a run's evaluation from its confusion matrix (rows: true label, columns: predicted). */
export async function recordEvaluation(target: Target, runId: string, input: { labels: string[]; confusionMatrix: number[][] }): Promise<void> {
  await send(target, 'recordEvaluation', `mutation ($runId: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $runId, input: $input) { accuracy } }`, { runId, input });
}

/** A dataset of images registered as they are (by default DATASET_IMAGES: 4 paths that need not exist); returns its id. */
export async function createDataset(target: Target, input: { name: string; images?: ImageInput[] }): Promise<string> {
  const data = await send<{ createDataset: { id: string } }>(target, 'createDataset',
    `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { images: DATASET_IMAGES, ...input } });
  return data.createDataset.id;
}

export interface SyntheticDataset { id: string; labels: string[]; imageCount: number; classCounts: ClassCount[] }

/** A synthetic OCT-like dataset the server writes under its data folder (generateSyntheticDataset): real images a worker can train on. */
export async function makeDataset(target: Target, input: { name: string; imagesPerLabel: number; imageSize?: number; seed?: number }): Promise<SyntheticDataset> {
  const data = await send<{ generateSyntheticDataset: SyntheticDataset }>(target, 'generateSyntheticDataset',
    `mutation ($input: SyntheticDatasetInput!) { generateSyntheticDataset(input: $input) { id labels imageCount classCounts { split label count } } }`, { input });
  return data.generateSyntheticDataset;
}

export interface StartTrainingInput {
  name: string; datasetId: string; trainer: 'TFJS' | 'REKOGNITION'; tags?: string[];
  tfjs?: Record<string, unknown>; rekognition?: Record<string, unknown>;
}

/** Starts a training: the run and its job, QUEUED until a worker takes it. Returns the run as the mutation answered. */
export async function startTraining(target: Target, input: StartTrainingInput): Promise<{ id: string; status: RunStatus }> {
  const data = await send<{ startTraining: { id: string; status: RunStatus } }>(target, 'startTraining',
    `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id status } }`, { input });
  return data.startTraining;
}

/** A run's status now. */
export async function runStatus(target: Target, runId: string): Promise<RunStatus> {
  const data = await send<{ run: { status: RunStatus } | null }>(target, 'run', `query ($id: ID!) { run(id: $id) { status } }`, { id: runId });
  if (!data.run) throw new Error(`run ${runId} was not found`);
  return data.run.status;
}

/** Polls until the run has one of `statuses` (e.g. FINISHED); returns it. Throws after timeoutMs, saying where the run stands. */
export async function waitForStatus(target: Target, runId: string, statuses: RunStatus | readonly RunStatus[], timeoutMs = 30_000): Promise<RunStatus> {
  const wanted: readonly RunStatus[] = typeof statuses === 'string' ? [statuses] : statuses;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await runStatus(target, runId);
    if (wanted.includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${status} after ${timeoutMs} ms, waiting for ${wanted.join(' or ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
