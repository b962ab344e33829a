import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { DatasetRecord as DatasetRecordModel, DatasetImageRecord as DatasetImageRecordModel } from '../../datasets/dataset.record.js';
import type { RunRecord as RunRecordModel } from '../../runs/run.record.js';
import type { RunPage as RunPageModel } from '../../runs/run.service.js';
import type { EpochRecord as EpochRecordModel, MetricPointRecord as MetricPointRecordModel } from '../../metrics/metric.record.js';
import type { MetricSeries as MetricSeriesModel } from '../../metrics/metric.service.js';
import type { EvaluationRecord as EvaluationRecordModel } from '../../evaluations/evaluation.record.js';
import type { RunComparison as RunComparisonModel } from '../../evaluations/evaluation.service.js';
import type { ArtifactRecord as ArtifactRecordModel } from '../../artifacts/artifact.record.js';
import type { RunEvent as RunEventModel } from '../../kernel/run-event.js';
import type { ServerInfoRoot as ServerInfoRootModel } from '../../training/server-info.service.js';
import type { ApiKeyRecord as ApiKeyRecordModel } from '../../auth/api-key.record.js';
import type { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time string, always in UTC (e.g. 2026-11-26T10:00:00.000Z). */
  DateTime: { input: Date; output: Date; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** An API key; its secret is shown once, when it is created. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scope: Scope;
};

export type Architecture =
  | 'MOBILENET_V2'
  | 'SMALL_CNN'
  | 'VGG16'
  | 'XCEPTION';

export type Artifact = {
  __typename?: 'Artifact';
  bytes: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  kind: Scalars['String']['output'];
  uri: Scalars['String']['output'];
};

export type ClassCount = {
  __typename?: 'ClassCount';
  count: Scalars['Int']['output'];
  label: Scalars['String']['output'];
  split: Split;
};

export type ClassMetrics = {
  __typename?: 'ClassMetrics';
  f1: Scalars['Float']['output'];
  label: Scalars['String']['output'];
  precision: Scalars['Float']['output'];
  recall: Scalars['Float']['output'];
  support: Scalars['Int']['output'];
};

/** In `runs` order; null where a run has no evaluation or no such label. */
export type ComparisonRow = {
  __typename?: 'ComparisonRow';
  cells: Array<Maybe<ClassMetrics>>;
  label: Scalars['String']['output'];
};

export type CreateDatasetInput = {
  images: Array<ImageInput>;
  name: Scalars['String']['input'];
};

/** An EXTERNAL run a client reports into. */
export type CreateRunInput = {
  config?: InputMaybe<Scalars['JSON']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** Send as `Authorization: Bearer <key>`; it cannot be shown again. */
  key: Scalars['String']['output'];
};

/** A labelled image collection with TRAIN, VALIDATION and TEST splits. */
export type Dataset = {
  __typename?: 'Dataset';
  /** One row per (split, label) that has images. */
  classCounts: Array<ClassCount>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  imageCount: Scalars['Int']['output'];
  /** A page of the dataset's images, for thumbnails and audits. */
  images: Array<DatasetImage>;
  /** Class names, sorted. */
  labels: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
};


/** A labelled image collection with TRAIN, VALIDATION and TEST splits. */
export type DatasetImagesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  label?: InputMaybe<Scalars['String']['input']>;
  split?: InputMaybe<Split>;
};

export type DatasetImage = {
  __typename?: 'DatasetImage';
  contentHash?: Maybe<Scalars['String']['output']>;
  label: Scalars['String']['output'];
  split: Split;
  uri: Scalars['String']['output'];
};

export type Epoch = {
  __typename?: 'Epoch';
  accuracy?: Maybe<Scalars['Float']['output']>;
  createdAt: Scalars['DateTime']['output'];
  durationMs?: Maybe<Scalars['Int']['output']>;
  /** 0-based within its phase. */
  index: Scalars['Int']['output'];
  learningRate?: Maybe<Scalars['Float']['output']>;
  loss?: Maybe<Scalars['Float']['output']>;
  /** "train" or "finetune" (or a client's own). */
  phase: Scalars['String']['output'];
  valAccuracy?: Maybe<Scalars['Float']['output']>;
  valLoss?: Maybe<Scalars['Float']['output']>;
};

export type EpochCompleted = {
  __typename?: 'EpochCompleted';
  epoch: Epoch;
  runId: Scalars['ID']['output'];
};

export type EpochInput = {
  accuracy?: InputMaybe<Scalars['Float']['input']>;
  durationMs?: InputMaybe<Scalars['Int']['input']>;
  index: Scalars['Int']['input'];
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  loss?: InputMaybe<Scalars['Float']['input']>;
  phase?: InputMaybe<Scalars['String']['input']>;
  valAccuracy?: InputMaybe<Scalars['Float']['input']>;
  valLoss?: InputMaybe<Scalars['Float']['input']>;
};

/** Derived from the confusion matrix: per-class metrics, accuracy and macro-F1. */
export type Evaluation = {
  __typename?: 'Evaluation';
  accuracy: Scalars['Float']['output'];
  /** Rows: true label, columns: predicted, in `labels` order. */
  confusionMatrix: Array<Array<Scalars['Int']['output']>>;
  createdAt: Scalars['DateTime']['output'];
  labels: Array<Scalars['String']['output']>;
  macroF1: Scalars['Float']['output'];
  perClass: Array<ClassMetrics>;
  /**
   * Where the numbers came from when not counted image by image, e.g. a Rekognition
   * summary whose matrix held fractions scaled back to counts; null for an exact count.
   */
  source?: Maybe<Scalars['String']['output']>;
  testImages: Scalars['Int']['output'];
};

export type EvaluationInput = {
  confusionMatrix: Array<Array<Scalars['Int']['input']>>;
  labels: Array<Scalars['String']['input']>;
};

/** uri: a file path or s3://bucket/key. */
export type ImageInput = {
  contentHash?: InputMaybe<Scalars['String']['input']>;
  label: Scalars['String']['input'];
  split: Split;
  uri: Scalars['String']['input'];
};

/** A folder laid out as <split>/<label>/<image>, inside one of EPOCHAL_IMPORT_ROOTS. */
export type ImportDatasetInput = {
  name: Scalars['String']['input'];
  path: Scalars['String']['input'];
};

export type LogMetricsResult = {
  __typename?: 'LogMetricsResult';
  accepted: Scalars['Int']['output'];
};

/** step >= 0; value finite. */
export type MetricInput = {
  key: Scalars['String']['input'];
  step: Scalars['Int']['input'];
  time?: InputMaybe<Scalars['DateTime']['input']>;
  value: Scalars['Float']['input'];
};

export type MetricPoint = {
  __typename?: 'MetricPoint';
  step: Scalars['Int']['output'];
  time: Scalars['DateTime']['output'];
  value: Scalars['Float']['output'];
};

export type MetricSeries = {
  __typename?: 'MetricSeries';
  downsampled: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  /** Ordered by step. */
  points: Array<MetricPoint>;
  /** Points stored (after afterStep), before downsampling. */
  totalPoints: Scalars['Int']['output'];
};

export type MetricsLogged = {
  __typename?: 'MetricsLogged';
  key: Scalars['String']['output'];
  points: Array<MetricPoint>;
  runId: Scalars['ID']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** QUEUED or RUNNING runs only; a worker stops within one batch. */
  cancelRun: Run;
  /** Admin only. */
  createApiKey: CreatedApiKey;
  /** Registers images that already exist (files or S3 objects). Names are unique. */
  createDataset: Dataset;
  createRun: Run;
  /** Ends an EXTERNAL run with SUCCEEDED, FAILED or CANCELLED. */
  finishRun: Run;
  generateSyntheticDataset: Dataset;
  importDataset: Dataset;
  /** (run, phase, index) identifies it: sending it again replaces it. Into a finished run: CONFLICT. */
  logEpoch: Epoch;
  /**
   * Idempotent: a point is identified by (run, key, step); sending it again
   * replaces it and never duplicates it. A batch (at most 10,000 points) is
   * stored whole or not at all. Into a finished run: CONFLICT.
   */
  logMetrics: LogMetricsResult;
  /** May be recorded (or replaced) at any status. */
  recordEvaluation: Evaluation;
  /** Admin only. Open connections using the key stop working within seconds. */
  revokeApiKey: ApiKey;
  /** QUEUED at once; a worker takes it. */
  startTraining: Run;
};


export type MutationCancelRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  scope: Scope;
};


export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};


export type MutationCreateRunArgs = {
  input: CreateRunInput;
};


export type MutationFinishRunArgs = {
  error?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  status: RunStatus;
};


export type MutationGenerateSyntheticDatasetArgs = {
  input: SyntheticDatasetInput;
};


export type MutationImportDatasetArgs = {
  input: ImportDatasetInput;
};


export type MutationLogEpochArgs = {
  input: EpochInput;
  runId: Scalars['ID']['input'];
};


export type MutationLogMetricsArgs = {
  points: Array<MetricInput>;
  runId: Scalars['ID']['input'];
};


export type MutationRecordEvaluationArgs = {
  input: EvaluationInput;
  runId: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartTrainingArgs = {
  input: StartTrainingInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type Query = {
  __typename?: 'Query';
  /** Admin only. */
  apiKeys: Array<ApiKey>;
  compareRuns: RunComparison;
  dataset?: Maybe<Dataset>;
  /** Every dataset, newest first. */
  datasets: Array<Dataset>;
  run?: Maybe<Run>;
  /** Newest first. first: 1 to 200. */
  runs: RunConnection;
  /** Server version and which engines this server's workers can use. */
  serverInfo: ServerInfo;
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryCompareRunsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryDatasetArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryRunArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RunFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RekognitionConfigInput = {
  /** Start the model, classify the TEST split, stop it. */
  evaluateWithInference?: InputMaybe<Scalars['Boolean']['input']>;
  minInferenceUnits?: InputMaybe<Scalars['Int']['input']>;
  /** Default: derived from the dataset. */
  projectName?: InputMaybe<Scalars['String']['input']>;
  /** Default: derived from the run. */
  versionName?: InputMaybe<Scalars['String']['input']>;
};

/**
 * One training run. An EXTERNAL run is RUNNING from its creation until finishRun;
 * a started training is QUEUED until a worker takes it.
 */
export type Run = {
  __typename?: 'Run';
  /** Files the run produced: checkpoints, logs, exported models. */
  artifacts: Array<Artifact>;
  /** The full training configuration, as started (defaults included). */
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  dataset?: Maybe<Dataset>;
  /** The engine that trained it (tfjs-node-gpu, tfjs-node, wasm, cpu, rekognition), once known. */
  engine?: Maybe<Scalars['String']['output']>;
  /** By phase, in the order phases first appeared, then index. */
  epochs: Array<Epoch>;
  /** Why it FAILED, in words a user can act on. */
  error?: Maybe<Scalars['String']['output']>;
  /** On the dataset's TEST split, once known. */
  evaluation?: Maybe<Evaluation>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The GPU's name when the engine used one. */
  gpuName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /**
   * One metric's series (empty for a key never logged). maxPoints bounds what
   * comes back: a longer series is downsampled on the server to between
   * maxPoints/2 and maxPoints points, keeping its shape: each bucket's minimum
   * and maximum are kept, so spikes and dips are not lost.
   */
  metric: MetricSeries;
  metricKeys: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** What its trainer reported along the way (e.g. Rekognition's status messages), oldest first. */
  notes: Array<RunNote>;
  /** What the trainer reported when it finished: for Rekognition, billable training time, estimated cost (USD) and the model's ARNs. */
  outputs?: Maybe<Scalars['JSON']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
  tags: Array<Scalars['String']['output']>;
  trainer: TrainerKind;
  /** The worker that took the run (host and process). */
  workerId?: Maybe<Scalars['String']['output']>;
};


/**
 * One training run. An EXTERNAL run is RUNNING from its creation until finishRun;
 * a started training is QUEUED until a worker takes it.
 */
export type RunMetricArgs = {
  afterStep?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
};

/** Runs side by side on the same labels: the table a paper would print. */
export type RunComparison = {
  __typename?: 'RunComparison';
  /** In `runs` order: how long each trained, on what, and what it cost. */
  costs: Array<RunCost>;
  labels: Array<Scalars['String']['output']>;
  /** One per label, plus one with label "macro". */
  rows: Array<ComparisonRow>;
  runs: Array<Run>;
  /**
   * Set when the evaluated runs were not all scored on the same TEST set (different
   * datasets, or the same name with different images), or one has no dataset to tell:
   * their numbers are then not comparable side by side.
   */
  testSetWarning?: Maybe<Scalars['String']['output']>;
  /**
   * In `runs` order: a SHA-256 over each run's dataset's TEST split (sorted label and
   * image content hash, or uri without one); null where the run has no dataset.
   */
  testSets: Array<Maybe<Scalars['String']['output']>>;
};

export type RunConnection = {
  __typename?: 'RunConnection';
  edges: Array<RunEdge>;
  pageInfo: PageInfo;
  /** All runs matching the filter. */
  totalCount: Scalars['Int']['output'];
};

/** One run's training time, engine or service, and cost, as compareRuns puts them beside F1. */
export type RunCost = {
  __typename?: 'RunCost';
  /** REKOGNITION: the training time AWS billed, once reported; null otherwise. */
  billedTrainingSeconds?: Maybe<Scalars['Float']['output']>;
  /** How estimatedCostUsd was reckoned, or why it is null. */
  costBasis: Scalars['String']['output'];
  /** What trained it: the TFJS engine (tfjs-node-gpu, tfjs-node, wasm, cpu) or the service (rekognition). */
  engine?: Maybe<Scalars['String']['output']>;
  /**
   * REKOGNITION: billed training hours × the training price (plus inference-unit hours
   * when it evaluated by inference), as its trainer recorded. TFJS: training hours ×
   * EPOCHAL_MACHINE_USD_PER_HOUR, null when that is not set. EXTERNAL: null.
   */
  estimatedCostUsd?: Maybe<Scalars['Float']['output']>;
  runId: Scalars['ID']['output'];
  /** Seconds from start to finish (to now while it runs); null before it starts. */
  trainingSeconds?: Maybe<Scalars['Float']['output']>;
};

export type RunEdge = {
  __typename?: 'RunEdge';
  cursor: Scalars['String']['output'];
  node: Run;
};

export type RunEvent = EpochCompleted | MetricsLogged | RunNote | StatusChanged;

export type RunFilter = {
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  nameContains?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<RunStatus>>;
  tag?: InputMaybe<Scalars['String']['input']>;
  trainer?: InputMaybe<Array<TrainerKind>>;
};

/**
 * A line of progress a trainer reports, e.g. Rekognition's "model TRAINING_IN_PROGRESS: The model is
 * being trained.". Stored: Run.notes lists them, and a subscription with afterStep sends them again
 * (like epochs) before live events; `id` tells one already seen.
 */
export type RunNote = {
  __typename?: 'RunNote';
  id: Scalars['ID']['output'];
  message: Scalars['String']['output'];
  runId: Scalars['ID']['output'];
  time: Scalars['DateTime']['output'];
};

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Scope =
  /** Also managing API keys. */
  | 'admin'
  /** Queries and subscriptions. */
  | 'read'
  /** Also mutations and training. */
  | 'write';

export type ServerInfo = {
  __typename?: 'ServerInfo';
  /**
   * The TensorFlow.js engine TFJS runs train on (tfjs-node-gpu, tfjs-node, wasm, cpu):
   * the newest TFJS run's, else the one this server's installed packages give. Null
   * when this server has no TFJS trainer.
   */
  engine?: Maybe<Scalars['String']['output']>;
  /** True when this process runs a training worker in-process. */
  inProcessWorker: Scalars['Boolean']['output'];
  /** Every trainer of this server, and whether it can train here (read from the API's settings, which its workers are expected to share). */
  trainers: Array<TrainerAvailability>;
  /**
   * The images per second a TFJS training of this architecture and size is expected
   * to reach on `engine`, and how that was reckoned; null when nothing is known for
   * the engine. imageSize: 16 to 1024.
   */
  trainingSpeed?: Maybe<TrainingSpeed>;
  version: Scalars['String']['output'];
};


export type ServerInfoTrainingSpeedArgs = {
  architecture: Architecture;
  imageSize: Scalars['Int']['input'];
};

export type Split =
  | 'TEST'
  | 'TRAIN'
  | 'VALIDATION';

export type StartTrainingInput = {
  datasetId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  /** Used when trainer is REKOGNITION. */
  rekognition?: InputMaybe<RekognitionConfigInput>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Used when trainer is TFJS. */
  tfjs?: InputMaybe<TfjsConfigInput>;
  trainer: TrainerKind;
};

export type StatusChanged = {
  __typename?: 'StatusChanged';
  error?: Maybe<Scalars['String']['output']>;
  runId: Scalars['ID']['output'];
  status: RunStatus;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Everything that happens to one run, live. With afterStep, the points stored
   * after that step (and the epochs and notes so far) are sent first, then live events,
   * with no gap and no duplicate between the two: a client that reconnects
   * with the last step it saw misses nothing.
   */
  runEvents: RunEvent;
  /** Status changes of every run, for run lists and dashboards. */
  runStatusChanged: StatusChanged;
};


export type SubscriptionRunEventsArgs = {
  afterStep?: InputMaybe<Scalars['Int']['input']>;
  runId: Scalars['ID']['input'];
};

/**
 * An OCT-like four-class dataset (CNV, DME, DRUSEN, NORMAL) written under the data folder, laid out
 * like the paper's: TRAIN in OCT2017's class ratio (37,205 : 11,348 : 8,616 : 26,315) with the
 * largest class at imagesPerLabel, a balanced TEST split of 20% of imagesPerLabel per class, and no
 * VALIDATION split (trainers hold out validationSplit of TRAIN). The same seed gives the same bytes.
 */
export type SyntheticDatasetInput = {
  imageSize?: InputMaybe<Scalars['Int']['input']>;
  imagesPerLabel: Scalars['Int']['input'];
  name: Scalars['String']['input'];
  seed?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * Every field is optional; the defaults are the recipe. Run.config holds
 * the whole resolved configuration, defaults included.
 */
export type TfjsConfigInput = {
  architecture?: InputMaybe<Architecture>;
  /** Zoom 0.73-0.9, h-flip, rotate 10deg, shift 10%, brightness 0.55-0.9, constant fill. */
  augment?: InputMaybe<Scalars['Boolean']['input']>;
  /** Folder of a pretrained base (tfjs layers format); none: train from scratch. */
  baseModelPath?: InputMaybe<Scalars['String']['input']>;
  /** Log batch loss as metric points every N batches. */
  batchLogEvery?: InputMaybe<Scalars['Int']['input']>;
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  channels?: InputMaybe<Scalars['Int']['input']>;
  /** 'balanced': N / (C * count(c)). */
  classWeights?: InputMaybe<Scalars['Boolean']['input']>;
  /** On val_loss, min delta 0.001; 0 turns it off. */
  earlyStoppingPatience?: InputMaybe<Scalars['Int']['input']>;
  epochs?: InputMaybe<Scalars['Int']['input']>;
  /** All layers unfrozen, at fineTuneLearningRate. */
  fineTuneEpochs?: InputMaybe<Scalars['Int']['input']>;
  fineTuneLearningRate?: InputMaybe<Scalars['Float']['input']>;
  /** Square input, pixels. */
  imageSize?: InputMaybe<Scalars['Int']['input']>;
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  /** On val_loss, factor 0.1; 0 turns it off. */
  reduceLrPatience?: InputMaybe<Scalars['Int']['input']>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** Used when the dataset has no VALIDATION split. */
  validationSplit?: InputMaybe<Scalars['Float']['input']>;
};

export type TrainerAvailability = {
  __typename?: 'TrainerAvailability';
  available: Scalars['Boolean']['output'];
  kind: TrainerKind;
  /** Why it cannot train here and what to set; null when available. */
  reason?: Maybe<Scalars['String']['output']>;
};

export type TrainerKind =
  | 'EXTERNAL'
  | 'REKOGNITION'
  | 'TFJS';

export type TrainingSpeed = {
  __typename?: 'TrainingSpeed';
  /** measured (median of this server's runs of the same architecture and size), scaled from another measured run by compute per image, or from the benchmark. */
  basis: Scalars['String']['output'];
  imagesPerSecond: Scalars['Float']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = {
  RunEvent:
    | ( RunEventModel )
    | ( RunEventModel )
    | ( RunEventModel )
    | ( RunEventModel )
  ;
};


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ApiKey: ResolverTypeWrapper<ApiKeyRecordModel>;
  Architecture: Architecture;
  Artifact: ResolverTypeWrapper<ArtifactRecordModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ClassCount: ResolverTypeWrapper<ClassCount>;
  ClassMetrics: ResolverTypeWrapper<ClassMetrics>;
  ComparisonRow: ResolverTypeWrapper<ComparisonRow>;
  CreateDatasetInput: CreateDatasetInput;
  CreateRunInput: CreateRunInput;
  CreatedApiKey: ResolverTypeWrapper<Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  Dataset: ResolverTypeWrapper<DatasetRecordModel>;
  DatasetImage: ResolverTypeWrapper<DatasetImageRecordModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Epoch: ResolverTypeWrapper<EpochRecordModel>;
  EpochCompleted: ResolverTypeWrapper<RunEventModel>;
  EpochInput: EpochInput;
  Evaluation: ResolverTypeWrapper<EvaluationRecordModel>;
  EvaluationInput: EvaluationInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImageInput: ImageInput;
  ImportDatasetInput: ImportDatasetInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  LogMetricsResult: ResolverTypeWrapper<LogMetricsResult>;
  MetricInput: MetricInput;
  MetricPoint: ResolverTypeWrapper<MetricPointRecordModel>;
  MetricSeries: ResolverTypeWrapper<MetricSeriesModel>;
  MetricsLogged: ResolverTypeWrapper<RunEventModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RekognitionConfigInput: RekognitionConfigInput;
  Run: ResolverTypeWrapper<RunRecordModel>;
  RunComparison: ResolverTypeWrapper<RunComparisonModel>;
  RunConnection: ResolverTypeWrapper<RunPageModel>;
  RunCost: ResolverTypeWrapper<RunCost>;
  RunEdge: ResolverTypeWrapper<Omit<RunEdge, 'node'> & { node: ResolversTypes['Run'] }>;
  RunEvent: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RunEvent']>;
  RunFilter: RunFilter;
  RunNote: ResolverTypeWrapper<RunEventModel>;
  RunStatus: RunStatus;
  Scope: Scope;
  ServerInfo: ResolverTypeWrapper<ServerInfoRootModel>;
  Split: Split;
  StartTrainingInput: StartTrainingInput;
  StatusChanged: ResolverTypeWrapper<RunEventModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SyntheticDatasetInput: SyntheticDatasetInput;
  TfjsConfigInput: TfjsConfigInput;
  TrainerAvailability: ResolverTypeWrapper<TrainerAvailability>;
  TrainerKind: TrainerKind;
  TrainingSpeed: ResolverTypeWrapper<TrainingSpeed>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ApiKey: ApiKeyRecordModel;
  Artifact: ArtifactRecordModel;
  Boolean: Scalars['Boolean']['output'];
  ClassCount: ClassCount;
  ClassMetrics: ClassMetrics;
  ComparisonRow: ComparisonRow;
  CreateDatasetInput: CreateDatasetInput;
  CreateRunInput: CreateRunInput;
  CreatedApiKey: Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  Dataset: DatasetRecordModel;
  DatasetImage: DatasetImageRecordModel;
  DateTime: Scalars['DateTime']['output'];
  Epoch: EpochRecordModel;
  EpochCompleted: RunEventModel;
  EpochInput: EpochInput;
  Evaluation: EvaluationRecordModel;
  EvaluationInput: EvaluationInput;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  ImageInput: ImageInput;
  ImportDatasetInput: ImportDatasetInput;
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  LogMetricsResult: LogMetricsResult;
  MetricInput: MetricInput;
  MetricPoint: MetricPointRecordModel;
  MetricSeries: MetricSeriesModel;
  MetricsLogged: RunEventModel;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RekognitionConfigInput: RekognitionConfigInput;
  Run: RunRecordModel;
  RunComparison: RunComparisonModel;
  RunConnection: RunPageModel;
  RunCost: RunCost;
  RunEdge: Omit<RunEdge, 'node'> & { node: ResolversParentTypes['Run'] };
  RunEvent: ResolversUnionTypes<ResolversParentTypes>['RunEvent'];
  RunFilter: RunFilter;
  RunNote: RunEventModel;
  ServerInfo: ServerInfoRootModel;
  StartTrainingInput: StartTrainingInput;
  StatusChanged: RunEventModel;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  SyntheticDatasetInput: SyntheticDatasetInput;
  TfjsConfigInput: TfjsConfigInput;
  TrainerAvailability: TrainerAvailability;
  TrainingSpeed: TrainingSpeed;
};

export type ApiKeyResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
};

export type ArtifactResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Artifact'] = ResolversParentTypes['Artifact']> = {
  bytes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  uri?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ClassCountResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ClassCount'] = ResolversParentTypes['ClassCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
};

export type ClassMetricsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ClassMetrics'] = ResolversParentTypes['ClassMetrics']> = {
  f1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  support?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ComparisonRowResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ComparisonRow'] = ResolversParentTypes['ComparisonRow']> = {
  cells?: Resolver<Array<Maybe<ResolversTypes['ClassMetrics']>>, ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CreatedApiKeyResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = {
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DatasetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset']> = {
  classCounts?: Resolver<Array<ResolversTypes['ClassCount']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['DatasetImage']>, ParentType, ContextType, RequireFields<DatasetImagesArgs, 'first'>>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DatasetImageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DatasetImage'] = ResolversParentTypes['DatasetImage']> = {
  contentHash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
  uri?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EpochResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Epoch'] = ResolversParentTypes['Epoch']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  durationMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  learningRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  loss?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  valAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  valLoss?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type EpochCompletedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EpochCompleted'] = ResolversParentTypes['EpochCompleted']> = {
  epoch?: Resolver<ResolversTypes['Epoch'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type EvaluationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Evaluation'] = ResolversParentTypes['Evaluation']> = {
  accuracy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  confusionMatrix?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  macroF1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  perClass?: Resolver<Array<ResolversTypes['ClassMetrics']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  testImages?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LogMetricsResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LogMetricsResult'] = ResolversParentTypes['LogMetricsResult']> = {
  accepted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MetricPointResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MetricPoint'] = ResolversParentTypes['MetricPoint']> = {
  step?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  time?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MetricSeriesResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MetricSeries'] = ResolversParentTypes['MetricSeries']> = {
  downsampled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes['MetricPoint']>, ParentType, ContextType>;
  totalPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MetricsLoggedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MetricsLogged'] = ResolversParentTypes['MetricsLogged']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes['MetricPoint']>, ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationCancelRunArgs, 'id'>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'name' | 'scope'>>;
  createDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationCreateDatasetArgs, 'input'>>;
  createRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationCreateRunArgs, 'input'>>;
  finishRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationFinishRunArgs, 'id' | 'status'>>;
  generateSyntheticDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationGenerateSyntheticDatasetArgs, 'input'>>;
  importDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationImportDatasetArgs, 'input'>>;
  logEpoch?: Resolver<ResolversTypes['Epoch'], ParentType, ContextType, RequireFields<MutationLogEpochArgs, 'input' | 'runId'>>;
  logMetrics?: Resolver<ResolversTypes['LogMetricsResult'], ParentType, ContextType, RequireFields<MutationLogMetricsArgs, 'points' | 'runId'>>;
  recordEvaluation?: Resolver<ResolversTypes['Evaluation'], ParentType, ContextType, RequireFields<MutationRecordEvaluationArgs, 'input' | 'runId'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  startTraining?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationStartTrainingArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  compareRuns?: Resolver<ResolversTypes['RunComparison'], ParentType, ContextType, RequireFields<QueryCompareRunsArgs, 'ids'>>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetArgs, 'id'>>;
  datasets?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['Run']>, ParentType, ContextType, RequireFields<QueryRunArgs, 'id'>>;
  runs?: Resolver<ResolversTypes['RunConnection'], ParentType, ContextType, RequireFields<QueryRunsArgs, 'first'>>;
  serverInfo?: Resolver<ResolversTypes['ServerInfo'], ParentType, ContextType>;
};

export type RunResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Run'] = ResolversParentTypes['Run']> = {
  artifacts?: Resolver<Array<ResolversTypes['Artifact']>, ParentType, ContextType>;
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  engine?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  epochs?: Resolver<Array<ResolversTypes['Epoch']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  evaluation?: Resolver<Maybe<ResolversTypes['Evaluation']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  gpuName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['MetricSeries'], ParentType, ContextType, RequireFields<RunMetricArgs, 'key' | 'maxPoints'>>;
  metricKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notes?: Resolver<Array<ResolversTypes['RunNote']>, ParentType, ContextType>;
  outputs?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  trainer?: Resolver<ResolversTypes['TrainerKind'], ParentType, ContextType>;
  workerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type RunComparisonResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunComparison'] = ResolversParentTypes['RunComparison']> = {
  costs?: Resolver<Array<ResolversTypes['RunCost']>, ParentType, ContextType>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  rows?: Resolver<Array<ResolversTypes['ComparisonRow']>, ParentType, ContextType>;
  runs?: Resolver<Array<ResolversTypes['Run']>, ParentType, ContextType>;
  testSetWarning?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  testSets?: Resolver<Array<Maybe<ResolversTypes['String']>>, ParentType, ContextType>;
};

export type RunConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunConnection'] = ResolversParentTypes['RunConnection']> = {
  edges?: Resolver<Array<ResolversTypes['RunEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RunCostResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunCost'] = ResolversParentTypes['RunCost']> = {
  billedTrainingSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  costBasis?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  engine?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  estimatedCostUsd?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  trainingSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type RunEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunEdge'] = ResolversParentTypes['RunEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Run'], ParentType, ContextType>;
};

export type RunEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunEvent'] = ResolversParentTypes['RunEvent']> = {
  __resolveType: TypeResolveFn<'EpochCompleted' | 'MetricsLogged' | 'RunNote' | 'StatusChanged', ParentType, ContextType>;
};

export type RunNoteResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunNote'] = ResolversParentTypes['RunNote']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  time?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ServerInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ServerInfo'] = ResolversParentTypes['ServerInfo']> = {
  engine?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  inProcessWorker?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  trainers?: Resolver<Array<ResolversTypes['TrainerAvailability']>, ParentType, ContextType>;
  trainingSpeed?: Resolver<Maybe<ResolversTypes['TrainingSpeed']>, ParentType, ContextType, RequireFields<ServerInfoTrainingSpeedArgs, 'architecture' | 'imageSize'>>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StatusChangedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['StatusChanged'] = ResolversParentTypes['StatusChanged']> = {
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  runEvents?: SubscriptionResolver<ResolversTypes['RunEvent'], "runEvents", ParentType, ContextType, RequireFields<SubscriptionRunEventsArgs, 'runId'>>;
  runStatusChanged?: SubscriptionResolver<ResolversTypes['StatusChanged'], "runStatusChanged", ParentType, ContextType>;
};

export type TrainerAvailabilityResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TrainerAvailability'] = ResolversParentTypes['TrainerAvailability']> = {
  available?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TrainerKind'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type TrainingSpeedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TrainingSpeed'] = ResolversParentTypes['TrainingSpeed']> = {
  basis?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  imagesPerSecond?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  ApiKey?: ApiKeyResolvers<ContextType>;
  Artifact?: ArtifactResolvers<ContextType>;
  ClassCount?: ClassCountResolvers<ContextType>;
  ClassMetrics?: ClassMetricsResolvers<ContextType>;
  ComparisonRow?: ComparisonRowResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DatasetImage?: DatasetImageResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Epoch?: EpochResolvers<ContextType>;
  EpochCompleted?: EpochCompletedResolvers<ContextType>;
  Evaluation?: EvaluationResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LogMetricsResult?: LogMetricsResultResolvers<ContextType>;
  MetricPoint?: MetricPointResolvers<ContextType>;
  MetricSeries?: MetricSeriesResolvers<ContextType>;
  MetricsLogged?: MetricsLoggedResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Run?: RunResolvers<ContextType>;
  RunComparison?: RunComparisonResolvers<ContextType>;
  RunConnection?: RunConnectionResolvers<ContextType>;
  RunCost?: RunCostResolvers<ContextType>;
  RunEdge?: RunEdgeResolvers<ContextType>;
  RunEvent?: RunEventResolvers<ContextType>;
  RunNote?: RunNoteResolvers<ContextType>;
  ServerInfo?: ServerInfoResolvers<ContextType>;
  StatusChanged?: StatusChangedResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TrainerAvailability?: TrainerAvailabilityResolvers<ContextType>;
  TrainingSpeed?: TrainingSpeedResolvers<ContextType>;
};

