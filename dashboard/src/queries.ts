/**
 * The GraphQL documents the dashboard sends (each marked for graphql-codegen,
 * which types them into generated/graphql.ts), and the shapes it reads back.
 */

export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const RUN_STATUSES: RunStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
export const TRAINERS = ['TFJS', 'REKOGNITION', 'EXTERNAL'] as const;
export const ARCHITECTURES = ['SMALL_CNN', 'MOBILENET_V2', 'VGG16', 'XCEPTION'] as const;
export const isActive = (status: RunStatus) => status === 'QUEUED' || status === 'RUNNING';

export interface Epoch {
  phase: string;
  index: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
  durationMs: number | null;
  createdAt: string;
}

export interface MetricPoint {
  step: number;
  value: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  labels: string[];
  perClass: ClassMetrics[];
  accuracy: number;
  macroF1: number;
  confusionMatrix: number[][];
  testImages: number;
  createdAt: string;
}

export interface RunSummary {
  id: string;
  name: string;
  trainer: string;
  status: RunStatus;
  engine: string | null;
  tags: string[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  dataset: { id: string; name: string } | null;
  epochs: Pick<Epoch, 'valLoss' | 'valAccuracy'>[];
}

export interface RunDetail extends Omit<RunSummary, 'epochs'> {
  gpuName: string | null;
  workerId: string | null;
  config: unknown;
  epochs: Epoch[];
  metricKeys: string[];
  evaluation: Evaluation | null;
  artifacts: { kind: string; uri: string; bytes: number; createdAt: string }[];
  notes: RunNote[];
}

/** A trainer's line of progress (e.g. Rekognition's status messages); `id` tells one already seen. */
export interface RunNote {
  id: string;
  message: string;
  time: string;
}

export const RUNS_QUERY = /* GraphQL */ `query DashboardRuns($filter: RunFilter, $first: Int, $after: String) {
  runs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name trainer status engine tags error createdAt startedAt finishedAt dataset { id name } epochs { valLoss valAccuracy } } }
  }
}`;

export const RUN_QUERY = /* GraphQL */ `query DashboardRun($id: ID!) {
  run(id: $id) {
    id name trainer status engine tags error createdAt startedAt finishedAt dataset { id name } gpuName workerId config metricKeys
    epochs { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt }
    evaluation { labels accuracy macroF1 testImages createdAt confusionMatrix perClass { label precision recall f1 support } }
    artifacts { kind uri bytes createdAt }
    notes { id message time }
  }
}`;

export const METRIC_QUERY = /* GraphQL */ `query DashboardMetric($id: ID!, $key: String!, $maxPoints: Int, $afterStep: Int) {
  run(id: $id) { metric(key: $key, maxPoints: $maxPoints, afterStep: $afterStep) { key totalPoints downsampled points { step value } } }
}`;

export interface MetricSeries {
  key: string;
  totalPoints: number;
  downsampled: boolean;
  points: MetricPoint[];
}

export const RUN_EVENTS_SUBSCRIPTION = /* GraphQL */ `subscription DashboardRunEvents($runId: ID!, $afterStep: Int) {
  runEvents(runId: $runId, afterStep: $afterStep) {
    __typename
    ... on MetricsLogged { key points { step value } }
    ... on EpochCompleted { epoch { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } }
    ... on StatusChanged { status error }
    ... on RunNote { id message time }
  }
}`;

export type RunEvent =
  | { __typename: 'MetricsLogged'; key: string; points: MetricPoint[] }
  | { __typename: 'EpochCompleted'; epoch: Epoch }
  | { __typename: 'StatusChanged'; status: RunStatus; error: string | null }
  | ({ __typename: 'RunNote' } & RunNote);

export const STATUS_SUBSCRIPTION = /* GraphQL */ `subscription DashboardStatusChanges { runStatusChanged { runId status error } }`;

export const CANCEL_RUN = /* GraphQL */ `mutation DashboardCancelRun($id: ID!) { cancelRun(id: $id) { id status } }`;

export const START_TRAINING = /* GraphQL */ `mutation DashboardStartTraining($input: StartTrainingInput!) { startTraining(input: $input) { id } }`;

export const DATASETS_QUERY = /* GraphQL */ `query DashboardDatasets {
  datasets { id name labels imageCount createdAt classCounts { split label count } }
}`;

export interface DatasetSummary {
  id: string;
  name: string;
  labels: string[];
  imageCount: number;
  createdAt: string;
  classCounts: { split: 'TRAIN' | 'VALIDATION' | 'TEST'; label: string; count: number }[];
}

export const DATASET_IMAGES_QUERY = /* GraphQL */ `query DashboardDatasetImages($id: ID!, $label: String!, $first: Int) {
  dataset(id: $id) { images(label: $label, first: $first) { uri label split } }
}`;

export const COMPARE_QUERY = /* GraphQL */ `query DashboardCompare($ids: [ID!]!) {
  compareRuns(ids: $ids) {
    labels
    runs { id name trainer status evaluation { accuracy } epochs { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } }
    rows { label cells { label precision recall f1 support } }
  }
}`;

export interface Comparison {
  labels: string[];
  runs: { id: string; name: string; trainer: string; status: RunStatus; evaluation: { accuracy: number } | null; epochs: Epoch[] }[];
  rows: { label: string; cells: (ClassMetrics | null)[] }[];
}
