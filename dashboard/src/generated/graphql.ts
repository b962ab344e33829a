/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** Exactly one of above, below. */
export type AlertRuleInput = {
  above?: number | null | undefined;
  below?: number | null | undefined;
  metric: MonitorMetric;
};

export type Architecture =
  | 'MOBILENET_V2'
  | 'SMALL_CNN'
  | 'VGG16'
  | 'XCEPTION';

export type DeployInput = {
  alerts?: Array<AlertRuleInput> | null | undefined;
  name?: string | null | undefined;
  runId: string | number;
  windowSize?: number | null | undefined;
};

/**
 * Models in use: a deployment serves one SUCCEEDED run's model (a TFJS run's best
 * checkpoint in the API process; a REKOGNITION run's model version, started and
 * stopped with the deployment) and monitors what it sees against what it saw on
 * its own TEST split (the reference). See docs/deployments.md.
 */
export type DeploymentStatus =
  | 'ACTIVE'
  | 'FAILED'
  | 'STARTING'
  | 'STOPPED';

export type MetricAggregate =
  | 'LAST'
  | 'MAX'
  | 'MIN';

/** Runs whose summary of `key` passes every bound given (at least one); runs without the key do not. */
export type MetricFilter = {
  aggregate?: MetricAggregate | null | undefined;
  gt?: number | null | undefined;
  gte?: number | null | undefined;
  key: string;
  lt?: number | null | undefined;
  lte?: number | null | undefined;
};

export type MonitorMetric =
  | 'INPUT_DRIFT'
  | 'MACRO_F1'
  | 'MEAN_CONFIDENCE'
  | 'PREDICTED_CLASS_PSI';

/**
 * Runs whose parameter `key` equals a value (as numbers when both read as
 * numbers, so "0.001" matches "1e-3"; otherwise as text) or lies within bounds
 * (numeric values only). Give equals, or bounds, or both.
 */
export type ParamFilter = {
  equals?: string | null | undefined;
  gt?: number | null | undefined;
  gte?: number | null | undefined;
  key: string;
  lt?: number | null | undefined;
  lte?: number | null | undefined;
};

export type RekognitionConfigInput = {
  /** Start the model, classify the TEST split, stop it. */
  evaluateWithInference?: boolean | null | undefined;
  minInferenceUnits?: number | null | undefined;
  /** Default: derived from the dataset. */
  projectName?: string | null | undefined;
  /** Default: derived from the run. */
  versionName?: string | null | undefined;
};

/** Every condition given must hold. */
export type RunFilter = {
  datasetId?: string | number | null | undefined;
  /** Bounds on metric summaries, e.g. { key: "val_accuracy", aggregate: MAX, gt: 0.9 }. At most 10. */
  metrics?: Array<MetricFilter> | null | undefined;
  nameContains?: string | null | undefined;
  /** Conditions on parameters, e.g. { key: "learningRate", equals: "0.001" }. At most 10. */
  params?: Array<ParamFilter> | null | undefined;
  /** A project's name. */
  project?: string | null | undefined;
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

export type StudyKind =
  | 'LEARNING_CURVE'
  | 'ROBUSTNESS';

/** F1 is per label: give `label` with it. */
export type StudyMetric =
  | 'ACCURACY'
  | 'F1'
  | 'MACRO_F1';

/**
 * Every field is optional; the defaults are the recipe. Run.config holds
 * the whole resolved configuration, defaults included.
 */
export type TfjsConfigInput = {
  architecture?: Architecture | null | undefined;
  /** Zoom 0.73-0.9, h-flip, rotate 10deg, shift 10%, brightness 0.55-0.9, constant fill. */
  augment?: boolean | null | undefined;
  /** Folder of a pretrained base (tfjs layers format), inside EPOCHAL_IMPORT_ROOTS or EPOCHAL_DATA_DIR; none: train from scratch. */
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
  /**
   * MOBILENET_V2 only: start from the MobileNetV2 backbone shipped in the nsfwjs npm
   * package instead of random weights: ImageNet-initialised, its upper blocks then
   * fine-tuned on another task (NSFW image classes), cut at out_relu, input RGB in
   * [0, 1], at any imageSize >= 32. Needs channels 3; not with baseModelPath.
   */
  pretrained?: boolean | null | undefined;
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

export type DashboardDeploymentQueryVariables = Exact<{
  id: string | number;
  windows?: number | null | undefined;
  predictions?: number | null | undefined;
}>;


export type DashboardDeploymentQuery = { deployment: { id: string, name: string, status: DeploymentStatus, error: string | null, labels: Array<string>, windowSize: number, createdAt: string, activeSince: string | null, stoppedAt: string | null, costPerHourUsd: number | null, runningCostUsd: number | null, run: { id: string, name: string, dataset: { id: string, name: string } | null }, alertRules: Array<{ metric: MonitorMetric, above: number | null, below: number | null }>, windows: Array<{ index: number, end: string, predictions: number, meanConfidence: number, predictedClassPsi: number, inputDrift: number, evaluation: { macroF1: number, testImages: number } | null }>, alerts: Array<{ id: string, metric: MonitorMetric, window: number, value: number, threshold: number, createdAt: string }>, predictions: { totalCount: number, edges: Array<{ node: { id: string, uri: string | null, label: string, confidence: number, truth: string | null, createdAt: string, scores: Array<{ label: string, score: number }> } }> } } | null };

export type DashboardDeploymentEventsSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DashboardDeploymentEventsSubscription = { deploymentEvents:
    | { __typename: 'AlertRaised', alert: { id: string, metric: MonitorMetric, window: number, value: number, threshold: number, createdAt: string } }
    | { __typename: 'DeploymentStatusChanged', status: DeploymentStatus, error: string | null }
    | { __typename: 'WindowClosed', window: { index: number, end: string, predictions: number, meanConfidence: number, predictedClassPsi: number, inputDrift: number, evaluation: { macroF1: number, testImages: number } | null } }
   };

export type DashboardDeployMutationVariables = Exact<{
  input: DeployInput;
}>;


export type DashboardDeployMutation = { deploy: { id: string, status: DeploymentStatus } };

export type DashboardUndeployMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardUndeployMutation = { undeploy: { id: string, status: DeploymentStatus } };

export type DashboardRunsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardRunsQuery = { runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, trainer: TrainerKind, status: RunStatus, engine: string | null, tags: Array<string>, error: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, dataset: { id: string, name: string } | null, epochs: Array<{ valLoss: number | null, valAccuracy: number | null }> } }> } };

export type DashboardProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardProjectsQuery = { projects: Array<{ id: string, name: string }> };

export type DashboardRunQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardRunQuery = { run: { id: string, eventCursor: string, name: string, trainer: TrainerKind, status: RunStatus, engine: string | null, tags: Array<string>, error: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, gpuName: string | null, workerId: string | null, config: unknown, metricKeys: Array<string>, dataset: { id: string, name: string } | null, study: { id: string, name: string } | null, epochs: Array<{ phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string }>, evaluation: { labels: Array<string>, accuracy: number, macroF1: number, testImages: number, createdAt: string, confusionMatrix: Array<Array<number>>, perClass: Array<{ label: string, precision: number, recall: number, f1: number, support: number }> } | null, artifacts: Array<{ kind: string, uri: string, bytes: number, createdAt: string }>, notes: Array<{ id: string, message: string, time: string }> } | null };

export type DashboardMetricQueryVariables = Exact<{
  id: string | number;
  key: string;
  maxPoints?: number | null | undefined;
  afterStep?: number | null | undefined;
}>;


export type DashboardMetricQuery = { run: { metric: { key: string, totalPoints: number, downsampled: boolean, points: Array<{ step: number, value: number }> } } | null };

export type DashboardRunEventsSubscriptionVariables = Exact<{
  runId: string | number;
  after?: string | null | undefined;
}>;


export type DashboardRunEventsSubscription = { runEvents:
    | { __typename: 'EpochCompleted', cursor: string, epoch: { phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string } }
    | { __typename: 'MetricsLogged', key: string, cursor: string, points: Array<{ step: number, value: number }> }
    | { __typename: 'RunNote', id: string, message: string, time: string, noteCursor: string | null }
    | { __typename: 'StatusChanged', status: RunStatus, error: string | null, statusCursor: string | null }
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

export type DashboardStudiesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardStudiesQuery = { studies: Array<{ id: string, name: string, kind: StudyKind, status: RunStatus, trainer: TrainerKind, seeds: Array<number>, createdAt: string, estimatedCostUsd: number | null, dataset: { id: string, name: string }, arms: Array<{ name: string }> }> };

export type DashboardStudyQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardStudyQuery = { study: { id: string, name: string, kind: StudyKind, status: RunStatus, trainer: TrainerKind, seeds: Array<number>, tags: Array<string>, createdAt: string, estimatedCostUsd: number | null, dataset: { id: string, name: string, labels: Array<string> }, arms: Array<{ name: string, x: number, evaluatesBaseline: boolean, dataset: { id: string, name: string }, runs: Array<{ id: string, name: string, status: RunStatus, error: string | null, finishedAt: string | null, evaluation: { macroF1: number } | null }> }>, curve: Array<{ arm: string, x: number, trainImages: number, runs: number, mean: number | null, std: number | null, low: number | null, high: number | null }> } | null };

export type DashboardStudyCurveQueryVariables = Exact<{
  id: string | number;
  metric: StudyMetric;
  label?: string | null | undefined;
}>;


export type DashboardStudyCurveQuery = { study: { curve: Array<{ arm: string, x: number, trainImages: number, runs: number, mean: number | null, std: number | null, low: number | null, high: number | null }> } | null };

export type DashboardStudyMinimalSizeQueryVariables = Exact<{
  id: string | number;
  target: number;
}>;


export type DashboardStudyMinimalSizeQuery = { study: { minimalTrainingSize: number | null } | null };

export type DashboardStudyEventsSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DashboardStudyEventsSubscription = { studyEvents: { studyId: string, status: RunStatus, run: { runId: string, status: RunStatus, error: string | null } | null } };
