import type { Operation } from './api';
import type {
  Architecture, DashboardCancelRunMutation, DashboardCancelRunMutationVariables, DashboardCompareQuery, DashboardCompareQueryVariables,
  DashboardDatasetImagesQuery, DashboardDatasetImagesQueryVariables, DashboardDatasetsQuery, DashboardDatasetsQueryVariables,
  DashboardMetricQuery, DashboardMetricQueryVariables, DashboardProjectsQuery, DashboardProjectsQueryVariables, DashboardRunEventsSubscription, DashboardRunEventsSubscriptionVariables,
  DashboardRunQuery, DashboardRunQueryVariables, DashboardRunsQuery, DashboardRunsQueryVariables, DashboardStartTrainingMutation,
  DashboardStartTrainingMutationVariables, DashboardStatusChangesSubscription, DashboardStatusChangesSubscriptionVariables,
  DashboardServerInfoQuery, DashboardServerInfoQueryVariables, DashboardTrainingSpeedQuery, DashboardTrainingSpeedQueryVariables,
  RunStatus, Split, StartTrainingInput, TrainerKind,
} from './generated/graphql';

/**
 * The GraphQL documents the dashboard sends. Each string marked with a GraphQL
 * comment is read by graphql-codegen (dashboard/codegen.ts), which writes the types of
 * its result and variables into generated/graphql.ts, named after the
 * operation (DashboardRun → DashboardRunQuery): `npm run codegen:dashboard`
 * after changing one, `npm test` checks they are current. The names below are
 * shorthands for parts of those results.
 */

export type { Architecture, RunStatus, Split, StartTrainingInput, TrainerKind };

/**
 * Every member of a generated enum, in display order: the typecheck fails
 * when the schema gains a member the list lacks (or the list names one it lacks).
 */
export const allOf = <T extends string>() => <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })): L => list;

export const RUN_STATUSES = allOf<RunStatus>()(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export const TRAINERS = allOf<TrainerKind>()(['TFJS', 'REKOGNITION', 'EXTERNAL']);
export const ARCHITECTURES = allOf<Architecture>()(['SMALL_CNN', 'MOBILENET_V2', 'VGG16', 'XCEPTION']);
export const SPLITS = allOf<Split>()(['TRAIN', 'VALIDATION', 'TEST']);
export const isActive = (status: RunStatus) => status === 'QUEUED' || status === 'RUNNING';

export const RUNS_QUERY: Operation<DashboardRunsQuery, DashboardRunsQueryVariables> = /* GraphQL */ `query DashboardRuns($filter: RunFilter, $first: Int, $after: String) {
  runs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name trainer status engine tags error createdAt startedAt finishedAt dataset { id name } epochs { valLoss valAccuracy } } }
  }
}`;

export const PROJECTS_QUERY: Operation<DashboardProjectsQuery, DashboardProjectsQueryVariables> = /* GraphQL */ `query DashboardProjects {
  projects { id name }
}`;

/** A run as the runs list (and the compare picker) shows it. */
export type RunSummary = DashboardRunsQuery['runs']['edges'][number]['node'];

export const RUN_QUERY: Operation<DashboardRunQuery, DashboardRunQueryVariables> = /* GraphQL */ `query DashboardRun($id: ID!) {
  run(id: $id) {
    id eventCursor name trainer status engine tags error createdAt startedAt finishedAt dataset { id name } study { id name } gpuName workerId config metricKeys
    epochs { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt }
    evaluation { labels accuracy macroF1 testImages createdAt confusionMatrix perClass { label precision recall f1 support } }
    artifacts { kind uri bytes createdAt }
    notes { id message time }
  }
}`;

/** A run as its page shows it. */
export type RunDetail = NonNullable<DashboardRunQuery['run']>;
export type Epoch = RunDetail['epochs'][number];
export type Evaluation = NonNullable<RunDetail['evaluation']>;
export type ClassMetrics = Evaluation['perClass'][number];
/** A trainer's line of progress (e.g. Rekognition's status messages); `id` tells one already seen. */
export type RunNote = RunDetail['notes'][number];

export const METRIC_QUERY: Operation<DashboardMetricQuery, DashboardMetricQueryVariables> = /* GraphQL */ `query DashboardMetric($id: ID!, $key: String!, $maxPoints: Int, $afterStep: Int) {
  run(id: $id) { metric(key: $key, maxPoints: $maxPoints, afterStep: $afterStep) { key totalPoints downsampled points { step value } } }
}`;

export type MetricSeries = NonNullable<DashboardMetricQuery['run']>['metric'];

export const RUN_EVENTS_SUBSCRIPTION: Operation<DashboardRunEventsSubscription, DashboardRunEventsSubscriptionVariables> = /* GraphQL */ `subscription DashboardRunEvents($runId: ID!, $after: String) {
  runEvents(runId: $runId, after: $after) {
    __typename
    ... on MetricsLogged { key points { step value } cursor }
    ... on EpochCompleted { epoch { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } cursor }
    ... on StatusChanged { status error statusCursor: cursor }
    ... on RunNote { id message time noteCursor: cursor }
  }
}`;

/** One event of a run's live stream, told apart by __typename. */
export type RunEvent = DashboardRunEventsSubscription['runEvents'];

export const STATUS_SUBSCRIPTION: Operation<DashboardStatusChangesSubscription, DashboardStatusChangesSubscriptionVariables> =
  /* GraphQL */ `subscription DashboardStatusChanges { runStatusChanged { runId status error } }`;

export const CANCEL_RUN: Operation<DashboardCancelRunMutation, DashboardCancelRunMutationVariables> =
  /* GraphQL */ `mutation DashboardCancelRun($id: ID!) { cancelRun(id: $id) { id status } }`;

export const START_TRAINING: Operation<DashboardStartTrainingMutation, DashboardStartTrainingMutationVariables> =
  /* GraphQL */ `mutation DashboardStartTraining($input: StartTrainingInput!) { startTraining(input: $input) { id } }`;

export const DATASETS_QUERY: Operation<DashboardDatasetsQuery, DashboardDatasetsQueryVariables> = /* GraphQL */ `query DashboardDatasets {
  datasets { id name labels imageCount createdAt classCounts { split label count } }
}`;

export type DatasetSummary = DashboardDatasetsQuery['datasets'][number];

export const DATASET_IMAGES_QUERY: Operation<DashboardDatasetImagesQuery, DashboardDatasetImagesQueryVariables> = /* GraphQL */ `query DashboardDatasetImages($id: ID!, $label: String!, $first: Int) {
  dataset(id: $id) { images(label: $label, first: $first) { uri label split } }
}`;

export const COMPARE_QUERY: Operation<DashboardCompareQuery, DashboardCompareQueryVariables> = /* GraphQL */ `query DashboardCompare($ids: [ID!]!) {
  compareRuns(ids: $ids) {
    labels
    runs { id name trainer status dataset { id name } evaluation { accuracy testImages } epochs { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } }
    rows { label cells { label precision recall f1 support } }
    costs { runId trainingSeconds billedTrainingSeconds engine estimatedCostUsd costBasis }
    testSetWarning
  }
}`;

export type Comparison = DashboardCompareQuery['compareRuns'];

export const SERVER_INFO_QUERY: Operation<DashboardServerInfoQuery, DashboardServerInfoQueryVariables> = /* GraphQL */ `query DashboardServerInfo {
  serverInfo { engine trainers { kind available reason } }
}`;

export type ServerInfo = DashboardServerInfoQuery['serverInfo'];

export const TRAINING_SPEED_QUERY: Operation<DashboardTrainingSpeedQuery, DashboardTrainingSpeedQueryVariables> = /* GraphQL */ `query DashboardTrainingSpeed($architecture: Architecture!, $imageSize: Int!) {
  serverInfo { trainingSpeed(architecture: $architecture, imageSize: $imageSize) { imagesPerSecond basis } }
}`;
