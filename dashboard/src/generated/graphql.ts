/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Architecture =
  | 'MOBILENET_V2'
  | 'SMALL_CNN'
  | 'VGG16'
  | 'XCEPTION';

export type RekognitionConfigInput = {
  /** Start the model, classify the TEST split, stop it. */
  evaluateWithInference?: boolean | null | undefined;
  minInferenceUnits?: number | null | undefined;
  /** Default: derived from the dataset. */
  projectName?: string | null | undefined;
  /** Default: derived from the run. */
  versionName?: string | null | undefined;
};

export type RunFilter = {
  datasetId?: string | number | null | undefined;
  nameContains?: string | null | undefined;
  status?: Array<RunStatus> | null | undefined;
  tag?: string | null | undefined;
  trainer?: Array<TrainerKind> | null | undefined;
};

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Split =
  | 'TEST'
  | 'TRAIN'
  | 'VALIDATION';

export type StartTrainingInput = {
  datasetId: string | number;
  name: string;
  /** Used when trainer is REKOGNITION. */
  rekognition?: RekognitionConfigInput | null | undefined;
  tags?: Array<string> | null | undefined;
  /** Used when trainer is TFJS. */
  tfjs?: TfjsConfigInput | null | undefined;
  trainer: TrainerKind;
};

/**
 * Every field is optional; the defaults are the recipe. Run.config holds
 * the whole resolved configuration, defaults included.
 */
export type TfjsConfigInput = {
  architecture?: Architecture | null | undefined;
  /** Zoom 0.73-0.9, h-flip, rotate 10deg, shift 10%, brightness 0.55-0.9, constant fill. */
  augment?: boolean | null | undefined;
  /** Folder of a pretrained base (tfjs layers format); none: train from scratch. */
  baseModelPath?: string | null | undefined;
  /** Log batch loss as metric points every N batches. */
  batchLogEvery?: number | null | undefined;
  batchSize?: number | null | undefined;
  channels?: number | null | undefined;
  /** 'balanced': N / (C * count(c)). */
  classWeights?: boolean | null | undefined;
  /** On val_loss, min delta 0.001; 0 turns it off. */
  earlyStoppingPatience?: number | null | undefined;
  epochs?: number | null | undefined;
  /** All layers unfrozen, at fineTuneLearningRate. */
  fineTuneEpochs?: number | null | undefined;
  fineTuneLearningRate?: number | null | undefined;
  /** Square input, pixels. */
  imageSize?: number | null | undefined;
  learningRate?: number | null | undefined;
  /** On val_loss, factor 0.1; 0 turns it off. */
  reduceLrPatience?: number | null | undefined;
  seed?: number | null | undefined;
  /** Used when the dataset has no VALIDATION split. */
  validationSplit?: number | null | undefined;
};

export type TrainerKind =
  | 'EXTERNAL'
  | 'REKOGNITION'
  | 'TFJS';

export type DashboardRunsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardRunsQuery = { runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, trainer: TrainerKind, status: RunStatus, engine: string | null, tags: Array<string>, error: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, dataset: { id: string, name: string } | null, epochs: Array<{ valLoss: number | null, valAccuracy: number | null }> } }> } };

export type DashboardRunQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardRunQuery = { run: { id: string, name: string, trainer: TrainerKind, status: RunStatus, engine: string | null, tags: Array<string>, error: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, gpuName: string | null, workerId: string | null, config: unknown, metricKeys: Array<string>, dataset: { id: string, name: string } | null, epochs: Array<{ phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string }>, evaluation: { labels: Array<string>, accuracy: number, macroF1: number, testImages: number, createdAt: string, confusionMatrix: Array<Array<number>>, perClass: Array<{ label: string, precision: number, recall: number, f1: number, support: number }> } | null, artifacts: Array<{ kind: string, uri: string, bytes: number, createdAt: string }>, notes: Array<{ id: string, message: string, time: string }> } | null };

export type DashboardMetricQueryVariables = Exact<{
  id: string | number;
  key: string;
  maxPoints?: number | null | undefined;
  afterStep?: number | null | undefined;
}>;


export type DashboardMetricQuery = { run: { metric: { key: string, totalPoints: number, downsampled: boolean, points: Array<{ step: number, value: number }> } } | null };

export type DashboardRunEventsSubscriptionVariables = Exact<{
  runId: string | number;
  afterStep?: number | null | undefined;
}>;


export type DashboardRunEventsSubscription = { runEvents:
    | { __typename: 'EpochCompleted', epoch: { phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string } }
    | { __typename: 'MetricsLogged', key: string, points: Array<{ step: number, value: number }> }
    | { __typename: 'RunNote', id: string, message: string, time: string }
    | { __typename: 'StatusChanged', status: RunStatus, error: string | null }
   };

export type DashboardStatusChangesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardStatusChangesSubscription = { runStatusChanged: { runId: string, status: RunStatus, error: string | null } };

export type DashboardCancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardCancelRunMutation = { cancelRun: { id: string, status: RunStatus } };

export type DashboardStartTrainingMutationVariables = Exact<{
  input: StartTrainingInput;
}>;


export type DashboardStartTrainingMutation = { startTraining: { id: string } };

export type DashboardDatasetsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardDatasetsQuery = { datasets: Array<{ id: string, name: string, labels: Array<string>, imageCount: number, createdAt: string, classCounts: Array<{ split: Split, label: string, count: number }> }> };

export type DashboardDatasetImagesQueryVariables = Exact<{
  id: string | number;
  label: string;
  first?: number | null | undefined;
}>;


export type DashboardDatasetImagesQuery = { dataset: { images: Array<{ uri: string, label: string, split: Split }> } | null };

export type DashboardCompareQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type DashboardCompareQuery = { compareRuns: { labels: Array<string>, testSetWarning: string | null, runs: Array<{ id: string, name: string, trainer: TrainerKind, status: RunStatus, dataset: { id: string, name: string } | null, evaluation: { accuracy: number, testImages: number } | null, epochs: Array<{ phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string }> }>, rows: Array<{ label: string, cells: Array<{ label: string, precision: number, recall: number, f1: number, support: number } | null> }>, costs: Array<{ runId: string, trainingSeconds: number | null, billedTrainingSeconds: number | null, engine: string | null, estimatedCostUsd: number | null, costBasis: string }> } };

export type DashboardServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardServerInfoQuery = { serverInfo: { engine: string | null, trainers: Array<{ kind: TrainerKind, available: boolean, reason: string | null }> } };

export type DashboardTrainingSpeedQueryVariables = Exact<{
  architecture: Architecture;
  imageSize: number;
}>;


export type DashboardTrainingSpeedQuery = { serverInfo: { trainingSpeed: { imagesPerSecond: number, basis: string } | null } };
