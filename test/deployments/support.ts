import { expect, vi } from 'vitest';
import { gqlOk } from '../support/graphql-client.js';

/** Tiny and quick on two cores: a small CNN on 24 px greyscale. */
export const TINY_TFJS = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, epochs: 2, fineTuneEpochs: 0, seed: 7, augment: false };

/** A synthetic dataset and a TFJS run trained on it by the app's in-process worker, SUCCEEDED. */
export async function trainTinyRun(url: string, name: string, imagesPerLabel = 20): Promise<{ runId: string; datasetId: string }> {
  const data = await gqlOk(url, `mutation ($name: String!, $n: Int!) { generateSyntheticDataset(input: { name: $name, imagesPerLabel: $n, imageSize: 24, seed: 3 }) { id } }`, { name, n: imagesPerLabel });
  const datasetId = data.generateSyntheticDataset.id;
  const started = await gqlOk(url, `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
    input: { name, datasetId, trainer: 'TFJS', tfjs: TINY_TFJS },
  });
  const runId = started.startTraining.id;
  await vi.waitFor(async () => {
    const { run } = await gqlOk(url, `query ($id: ID!) { run(id: $id) { status error } }`, { id: runId });
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
  }, { timeout: 120_000, interval: 250 });
  return { runId, datasetId };
}

/**
 * Scans "from another scanner": `first` TEST images of the BRIGHTNESS corruption (severity 5,
 * +0.5 of full scale) of the dataset's TEST split, derived through the API (deriveDataset).
 */
export async function brightenedTestUris(url: string, datasetId: string, first: number): Promise<string[]> {
  const { deriveDataset } = await gqlOk(url, `mutation ($input: DeriveDatasetInput!) { deriveDataset(input: $input) { id } }`,
    { input: { parentId: datasetId, corruption: { kind: 'BRIGHTNESS', severity: 5 } } });
  const { dataset } = await gqlOk(url, `query ($id: ID!, $first: Int) { dataset(id: $id) { images(split: TEST, first: $first) { uri } } }`, { id: deriveDataset.id, first });
  return dataset.images.map((i: { uri: string }) => i.uri);
}

const DEPLOYMENT_QUERIES = [
  /* GraphQL */ `query ($id: ID!) {
    deployment(id: $id) {
      id name status error labels windowSize createdAt activeSince
      run { id }
      reference { images meanConfidence meanIntensity predictedShare { label score } }
      alerts { metric window value threshold }
    }
  }`,
  // Page sizes as variables: the operation cost limit multiplies by literal ones.
  /* GraphQL */ `query ($id: ID!, $first: Int = 500) {
    deployment(id: $id) {
      predictions(first: $first) { totalCount edges { cursor node { id label confidence meanIntensity contentHash truth window uri scores { label score } } } }
    }
  }`,
  /* GraphQL */ `query ($id: ID!, $last: Int = 1000) {
    deployment(id: $id) {
      windows(last: $last) {
        index predictions meanConfidence predictedClassPsi inputDrift start end
        predictedShare { label score }
        evaluation { labels confusionMatrix macroF1 testImages accuracy }
      }
    }
  }`,
];

/** A deployment with its predictions, windows and alerts (three queries: each stays under the operation cost limit). */
export async function readDeploymentFrom(url: string, id: string) {
  const parts = await Promise.all(DEPLOYMENT_QUERIES.map((query) => gqlOk(url, query, { id })));
  return parts.reduce((all, part) => (part.deployment ? { ...all, ...part.deployment } : null), {});
}

export async function deployAndWait(url: string, input: Record<string, unknown>) {
  const data = await gqlOk(url, `mutation ($input: DeployInput!) { deploy(input: $input) { id status } }`, { input });
  expect(data.deploy.status).toBe('STARTING');
  const id: string = data.deploy.id;
  await vi.waitFor(async () => {
    const { deployment } = await gqlOk(url, `query ($id: ID!) { deployment(id: $id) { status error } }`, { id });
    expect(deployment.status, deployment.error ?? '').toBe('ACTIVE');
  }, { timeout: 60_000, interval: 100 });
  return id;
}

export const PREDICT = /* GraphQL */ `
  mutation ($id: ID!, $images: [PredictImageInput!]!) {
    predict(deploymentId: $id, images: $images) { id uri contentHash label confidence meanIntensity window scores { label score } truth }
  }`;

/** KS by brute force over every observed value, independent of the server's merge walk. */
export function bruteForceKs(a: number[], b: number[]): number {
  const cdf = (sample: number[], x: number) => sample.filter((v) => v <= x).length / sample.length;
  return Math.max(...[...a, ...b].map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
}

/** PSI written out as the docs define it: Σ (a − r) ln(a / r), empty bins at 1e-4. */
export function handPsi(actual: number[], reference: number[]): number {
  return actual.reduce((sum, a, i) => {
    const x = Math.max(a, 1e-4);
    const r = Math.max(reference[i], 1e-4);
    return sum + (x - r) * Math.log(x / r);
  }, 0);
}
