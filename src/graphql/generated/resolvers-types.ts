import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { DatasetRecord as DatasetRecordModel, DatasetImageRecord as DatasetImageRecordModel } from '../../datasets/dataset.record.js';
import type { ProjectRecord as ProjectRecordModel } from '../../projects/project.record.js';
import type { RunRecord as RunRecordModel } from '../../runs/run.record.js';
import type { RunPage as RunPageModel } from '../../runs/run.service.js';
import type { EpochRecord as EpochRecordModel, MetricPointRecord as MetricPointRecordModel, MetricSummaryRecord as MetricSummaryRecordModel } from '../../metrics/metric.record.js';
import type { MetricSeries as MetricSeriesModel } from '../../metrics/metric.service.js';
import type { EvaluationRecord as EvaluationRecordModel, ModelEvaluationRecord as ModelEvaluationRecordModel } from '../../evaluations/evaluation.record.js';
import type { RunComparison as RunComparisonModel } from '../../evaluations/evaluation.service.js';
import type { ArtifactRecord as ArtifactRecordModel } from '../../artifacts/artifact.record.js';
import type { RunEvent as RunEventModel } from '../../kernel/run-event.js';
import type { ServerInfoRoot as ServerInfoRootModel } from '../../training/server-info.service.js';
import type { StudyRecord as StudyRecordModel, StudyArmRecord as StudyArmRecordModel } from '../../studies/study.record.js';
import type { StudyProgress as StudyProgressModel, CurvePoint as CurvePointModel } from '../../studies/study.service.js';
import type { ApiKeyRecord as ApiKeyRecordModel } from '../../auth/api-key.record.js';
import type { DeploymentRecord as DeploymentRecordModel, PredictionRecord as PredictionRecordModel, WindowRecord as WindowRecordModel, AlertRecord as AlertRecordModel, AlertRule as AlertRuleModel } from '../../deployments/deployment.record.js';
import type { PredictionPage as PredictionPageModel } from '../../deployments/monitor.service.js';
import type { DeploymentEvent as DeploymentEventModel } from '../../deployments/deployment-events.js';
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

export type Alert = {
  __typename?: 'Alert';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  metric: MonitorMetric;
  threshold: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
  window: Scalars['Int']['output'];
};

export type AlertRaised = {
  __typename?: 'AlertRaised';
  alert: Alert;
  deploymentId: Scalars['ID']['output'];
};

export type AlertRule = {
  __typename?: 'AlertRule';
  above?: Maybe<Scalars['Float']['output']>;
  below?: Maybe<Scalars['Float']['output']>;
  metric: MonitorMetric;
};

/** Exactly one of above, below. */
export type AlertRuleInput = {
  above?: InputMaybe<Scalars['Float']['input']>;
  below?: InputMaybe<Scalars['Float']['input']>;
  metric: MonitorMetric;
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

/** Keeps round(keepFraction × count) (at least one) of one label's TRAIN images; keepFraction in (0, 1]. */
export type ClassImbalanceInput = {
  keepFraction: Scalars['Float']['input'];
  label: Scalars['String']['input'];
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

/** After ImageNet-C; the parameter of each severity is listed in docs/studies.md. */
export type Corruption =
  | 'BLUR'
  | 'BRIGHTNESS'
  | 'CONTRAST'
  | 'GAUSSIAN_NOISE'
  | 'JPEG'
  | 'SPECKLE';

/** Writes corrupted copies (new files, new hashes) of the chosen splits' images under the data folder; severity 1-5. */
export type CorruptionInput = {
  kind: Corruption;
  severity: Scalars['Int']['input'];
  splits?: InputMaybe<Array<Split>>;
};

export type CreateDatasetInput = {
  images: Array<ImageInput>;
  name: Scalars['String']['input'];
};

/**
 * An EXTERNAL run a client reports into. With `id` (a UUID the client chose),
 * createRun is idempotent: sent again, it answers the run already created.
 */
export type CreateRunInput = {
  config?: InputMaybe<Scalars['JSON']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  /** The project's name; created when missing. Default: "default". */
  project?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * Seconds without a report (a logged point or epoch, or a heartbeat) after which
   * the run becomes FAILED ("no report for …"): its script died. Default 3600;
   * 0: never; at most 2592000 (30 days).
   */
  timeoutSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** Send as `Authorization: Bearer <key>`; it cannot be shown again. */
  key: Scalars['String']['output'];
};

export type CurvePoint = {
  __typename?: 'CurvePoint';
  arm: Scalars['String']['output'];
  high?: Maybe<Scalars['Float']['output']>;
  low?: Maybe<Scalars['Float']['output']>;
  mean?: Maybe<Scalars['Float']['output']>;
  runs: Scalars['Int']['output'];
  std?: Maybe<Scalars['Float']['output']>;
  trainImages: Scalars['Int']['output'];
  x: Scalars['Float']['output'];
};

/** A labelled image collection with TRAIN, VALIDATION and TEST splits. */
export type Dataset = {
  __typename?: 'Dataset';
  /** Datasets derived from this one, oldest first. */
  children: Array<Dataset>;
  /** One row per (split, label) that has images. */
  classCounts: Array<ClassCount>;
  createdAt: Scalars['DateTime']['output'];
  /** How it was made from its parent; null likewise. */
  derivation?: Maybe<Derivation>;
  /**
   * SHA-256 (hex) over its rows sorted by (split, label, content hash), each written
   * split<TAB>label<TAB>hash and joined by newlines (a missing hash counts as empty):
   * the same images with the same labels give the same digest, whatever their uris.
   */
  digest: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  imageCount: Scalars['Int']['output'];
  /** A page of the dataset's images, for thumbnails and audits. first: up to 500. */
  images: Array<DatasetImage>;
  /** Class names, sorted. */
  labels: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** The dataset it was derived from; null for a created, imported or generated dataset. */
  parent?: Maybe<Dataset>;
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

export type DeployInput = {
  alerts?: InputMaybe<Array<AlertRuleInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  runId: Scalars['ID']['input'];
  windowSize?: InputMaybe<Scalars['Int']['input']>;
};

export type Deployment = {
  __typename?: 'Deployment';
  activeSince?: Maybe<Scalars['DateTime']['output']>;
  /** The rules given at deploy, checked on every window. */
  alertRules: Array<AlertRule>;
  /** Oldest window first. */
  alerts: Array<Alert>;
  /** What the loaded model costs per hour (REKOGNITION inference units); null when free. */
  costPerHourUsd?: Maybe<Scalars['Float']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Why it FAILED. */
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The model's classes, in score order. */
  labels: Array<Scalars['String']['output']>;
  /** A window metric as a series, step = window index: predicted_class_psi, input_drift, mean_confidence, macro_f1. */
  metric: MetricSeries;
  name: Scalars['String']['output'];
  /** Newest first. first: 0 to 500. */
  predictions: PredictionConnection;
  /** What the model saw on its run's TEST split at deploy time; null until ACTIVE. */
  reference?: Maybe<MonitorReference>;
  run: Run;
  /** Cost so far while ACTIVE (REKOGNITION); null when free. */
  runningCostUsd?: Maybe<Scalars['Float']['output']>;
  status: DeploymentStatus;
  stoppedAt?: Maybe<Scalars['DateTime']['output']>;
  windowSize: Scalars['Int']['output'];
  /** Closed windows, oldest first. */
  windows: Array<MonitorWindow>;
};


export type DeploymentMetricArgs = {
  key: Scalars['String']['input'];
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
};


export type DeploymentPredictionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type DeploymentWindowsArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type DeploymentEvent = AlertRaised | DeploymentStatusChanged | WindowClosed;

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

export type DeploymentStatusChanged = {
  __typename?: 'DeploymentStatusChanged';
  deploymentId: Scalars['ID']['output'];
  error?: Maybe<Scalars['String']['output']>;
  status: DeploymentStatus;
};

/** params: the transformation's input as given (e.g. { fraction: 0.25 }); corruption's includes its splits. */
export type Derivation = {
  __typename?: 'Derivation';
  kind: DerivationKind;
  params: Scalars['JSON']['output'];
  seed: Scalars['Int']['output'];
};

export type DerivationKind =
  | 'CLASS_IMBALANCE'
  | 'CORRUPTION'
  | 'LABEL_NOISE'
  | 'SUBSAMPLE';

/**
 * Exactly one of subsample, classImbalance, labelNoise, corruption. Same parent, same
 * input, same seed: the same images, labels and digest; deriving again answers the
 * dataset made the first time. Only TRAIN changes, unless a corruption names other splits.
 */
export type DeriveDatasetInput = {
  classImbalance?: InputMaybe<ClassImbalanceInput>;
  corruption?: InputMaybe<CorruptionInput>;
  labelNoise?: InputMaybe<LabelNoiseInput>;
  /** Default: the parent's name and the derivation, e.g. "oct · subsample 25% (seed 1)". */
  name?: InputMaybe<Scalars['String']['input']>;
  /** In a robustness study's variant it may be left empty (""): the study's dataset is the parent. */
  parentId: Scalars['ID']['input'];
  seed?: InputMaybe<Scalars['Int']['input']>;
  subsample?: InputMaybe<SubsampleInput>;
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
  cursor: Scalars['String']['output'];
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
  /** The data it was measured on: for Run.evaluation, the run's own dataset. */
  dataset?: Maybe<Dataset>;
  labels: Array<Scalars['String']['output']>;
  macroF1: Scalars['Float']['output'];
  perClass: Array<ClassMetrics>;
  /**
   * Where the numbers came from when not counted image by image, e.g. a Rekognition
   * summary whose matrix held fractions scaled back to counts; null for an exact count.
   */
  source?: Maybe<Scalars['String']['output']>;
  /** TEST for Run.evaluation. */
  split?: Maybe<Split>;
  testImages: Scalars['Int']['output'];
};

export type EvaluationInput = {
  confusionMatrix: Array<Array<Scalars['Int']['input']>>;
  labels: Array<Scalars['String']['input']>;
};

/**
 * A run's model evaluated on a dataset's split by a worker (evaluateRun, robustness arms):
 * WAITING while the run still trains, QUEUED once it SUCCEEDED, RUNNING on a worker, then
 * SUCCEEDED (evaluation set) or FAILED (error says why). Asking again starts it over.
 */
export type EvaluationJob = {
  __typename?: 'EvaluationJob';
  createdAt: Scalars['DateTime']['output'];
  dataset: Dataset;
  error?: Maybe<Scalars['String']['output']>;
  evaluation?: Maybe<Evaluation>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  run: Run;
  split: Split;
  status: EvaluationJobStatus;
};

export type EvaluationJobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'WAITING';

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

/** round(rate × TRAIN images) TRAIN images get a label drawn uniformly among the others; rate in [0, 1). Files and hashes stay. */
export type LabelNoiseInput = {
  rate: Scalars['Float']['input'];
};

export type LabelScore = {
  __typename?: 'LabelScore';
  label: Scalars['String']['output'];
  score: Scalars['Float']['output'];
};

export type LearningCurveInput = {
  datasetId: Scalars['ID']['input'];
  /** Of TRAIN, each in (0, 1]; nested subsamples (seed 1); 1 is the dataset itself. */
  fractions: Array<Scalars['Float']['input']>;
  /** REKOGNITION: refuse the study (BAD_USER_INPUT, nothing started) when estimatedCostUsd would exceed this. */
  maxCostUsd?: InputMaybe<Scalars['Float']['input']>;
  name: Scalars['String']['input'];
  rekognition?: InputMaybe<RekognitionConfigInput>;
  /** One run per fraction and seed. */
  seeds: Array<Scalars['Int']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The runs' settings; each run's seed is its own. */
  tfjs?: InputMaybe<TfjsConfigInput>;
  trainer: TrainerKind;
};

export type LogMetricsResult = {
  __typename?: 'LogMetricsResult';
  accepted: Scalars['Int']['output'];
};

export type MetricAggregate =
  | 'LAST'
  | 'MAX'
  | 'MIN';

/** Runs whose summary of `key` passes every bound given (at least one); runs without the key do not. */
export type MetricFilter = {
  aggregate?: InputMaybe<MetricAggregate>;
  gt?: InputMaybe<Scalars['Float']['input']>;
  gte?: InputMaybe<Scalars['Float']['input']>;
  key: Scalars['String']['input'];
  lt?: InputMaybe<Scalars['Float']['input']>;
  lte?: InputMaybe<Scalars['Float']['input']>;
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

/**
 * One metric's points as columns, the fast form of a batch: point i is
 * (key, steps[i], values[i], times[i]). steps and values (and times, when
 * given) have one entry per point; a point without a time is stored with the
 * server's time. step >= 0; value finite.
 */
export type MetricSeriesInput = {
  key: Scalars['String']['input'];
  steps: Array<Scalars['Int']['input']>;
  times?: InputMaybe<Array<Scalars['DateTime']['input']>>;
  values: Array<Scalars['Float']['input']>;
};

/**
 * A metric key's summary over the run. Epochs count too: their loss, accuracy,
 * valLoss, valAccuracy and learningRate are the keys loss, accuracy, val_loss,
 * val_accuracy and learning_rate.
 */
export type MetricSummary = {
  __typename?: 'MetricSummary';
  /** Values counted (points, plus epochs for the epochs' keys). */
  count: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  /** The value at the highest step. */
  last: Scalars['Float']['output'];
  lastStep: Scalars['Int']['output'];
  max: Scalars['Float']['output'];
  min: Scalars['Float']['output'];
};

/**
 * Cursors: every event of runEvents carries one, its place in the run's commit
 * order. Pass the last one received back as `after` to resume exactly. Opaque:
 * send them back unchanged.
 */
export type MetricsLogged = {
  __typename?: 'MetricsLogged';
  cursor: Scalars['String']['output'];
  key: Scalars['String']['output'];
  points: Array<MetricPoint>;
  runId: Scalars['ID']['output'];
};

export type MonitorMetric =
  | 'INPUT_DRIFT'
  | 'MACRO_F1'
  | 'MEAN_CONFIDENCE'
  | 'PREDICTED_CLASS_PSI';

export type MonitorReference = {
  __typename?: 'MonitorReference';
  contrast: Array<Scalars['Float']['output']>;
  images: Scalars['Int']['output'];
  meanConfidence: Scalars['Float']['output'];
  /** Per TEST image, in the dataset's order: the inputs inputDrift compares with. */
  meanIntensity: Array<Scalars['Float']['output']>;
  predictedShare: Array<LabelScore>;
  sharpness: Array<Scalars['Float']['output']>;
};

/** Each `windowSize` consecutive predictions close a window. */
export type MonitorWindow = {
  __typename?: 'MonitorWindow';
  end: Scalars['DateTime']['output'];
  /** Over the window's predictions that have a truth; null when none has. */
  evaluation?: Maybe<Evaluation>;
  /** 0-based. */
  index: Scalars['Int']['output'];
  /** Two-sample Kolmogorov-Smirnov statistic of per-image mean intensity against the reference's. */
  inputDrift: Scalars['Float']['output'];
  meanConfidence: Scalars['Float']['output'];
  /** Population stability index of predictedShare against the reference's; empty bins count as 0.0001. */
  predictedClassPsi: Scalars['Float']['output'];
  /** Share of each label among the window's top labels. */
  predictedShare: Array<LabelScore>;
  predictions: Scalars['Int']['output'];
  start: Scalars['DateTime']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** QUEUED or RUNNING runs only; a worker stops within one batch. */
  cancelRun: Run;
  /** Cancels the study's QUEUED and RUNNING runs and pending evaluations; CONFLICT once it ended. */
  cancelStudy: Study;
  /** Admin only. */
  createApiKey: CreatedApiKey;
  /** Registers images that already exist (files or S3 objects). Names are unique. */
  createDataset: Dataset;
  /** A new, empty project. CONFLICT when the name is taken (createRun creates the project it names when missing). */
  createProject: Project;
  createRun: Run;
  /**
   * A finished run and everything it holds (points, epochs, evaluation, notes,
   * artifacts and their files, stopped deployments), rows in one transaction.
   * CONFLICT while QUEUED or RUNNING or deployed (STARTING or ACTIVE). Answers the id.
   */
  deleteRun: Scalars['ID']['output'];
  /** STARTING at once; ACTIVE when the model answers and its reference is built. */
  deploy: Deployment;
  /** A new dataset made from a parent by one seeded, recorded transformation. */
  deriveDataset: Dataset;
  /**
   * Evaluates a TFJS run's best model on a dataset's split, on a worker. The dataset's labels must
   * be among the run's; a run still QUEUED or RUNNING is evaluated once it SUCCEEDED.
   */
  evaluateRun: EvaluationJob;
  /** Ends an EXTERNAL run with SUCCEEDED, FAILED or CANCELLED. */
  finishRun: Run;
  generateSyntheticDataset: Dataset;
  /**
   * Keeps a RUNNING run alive while its script has nothing to log (see
   * CreateRunInput.timeoutSeconds). Not RUNNING: CONFLICT.
   */
  heartbeat: Run;
  importDataset: Dataset;
  /** (run, phase, index) identifies it: sending it again replaces it. Into a finished run: CONFLICT. */
  logEpoch: Epoch;
  /**
   * logMetrics in columns, with the same guarantees (idempotent by (run, key,
   * step), whole or nothing, at most 10,000 points over all series, the same live
   * MetricsLogged events): one entry per key instead of one object per point,
   * several times faster to send, coerce and store. Into a finished run: CONFLICT.
   */
  logMetricSeries: LogMetricsResult;
  /**
   * Idempotent: a point is identified by (run, key, step); sending it again
   * replaces it and never duplicates it. A batch (at most 10,000 points) is
   * stored whole or not at all. Into a finished run: CONFLICT.
   */
  logMetrics: LogMetricsResult;
  /**
   * Updates a run's configuration at any status (W&B's config.update): each
   * top-level key of `params` replaces the config's, and the run's parameters
   * follow. At most 100 keys; values at most 6000 characters as text.
   */
  logParams: Run;
  /** At most 64 images; CONFLICT unless ACTIVE. In the order given. */
  predict: Array<Prediction>;
  /** May be recorded (or replaced) at any status. */
  recordEvaluation: Evaluation;
  /** Re-recording replaces; windows' evaluations follow. Answers how many predictions were updated. */
  recordTruth: Scalars['Int']['output'];
  /** Admin only. Open connections using the key stop working within seconds. */
  revokeApiKey: ApiKey;
  /** Sets key/value tags (an empty value keeps the key). At most 100 per call; keys 250, values 8000 characters. */
  setRunTags: Run;
  /** Derives the arms' datasets and queues every run, in one transaction. */
  startLearningCurve: Study;
  /** A baseline arm on the dataset, then one arm per variant. */
  startRobustnessStudy: Study;
  /** QUEUED at once; a worker takes it. */
  startTraining: Run;
  /** Stops serving: STOPPED, the model unloaded (a Rekognition model stopped). */
  undeploy: Deployment;
};


export type MutationCancelRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCancelStudyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  scope: Scope;
};


export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};


export type MutationCreateProjectArgs = {
  name: Scalars['String']['input'];
};


export type MutationCreateRunArgs = {
  input: CreateRunInput;
};


export type MutationDeleteRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeployArgs = {
  input: DeployInput;
};


export type MutationDeriveDatasetArgs = {
  input: DeriveDatasetInput;
};


export type MutationEvaluateRunArgs = {
  datasetId: Scalars['ID']['input'];
  runId: Scalars['ID']['input'];
  split?: InputMaybe<Split>;
};


export type MutationFinishRunArgs = {
  error?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  status: RunStatus;
};


export type MutationGenerateSyntheticDatasetArgs = {
  input: SyntheticDatasetInput;
};


export type MutationHeartbeatArgs = {
  runId: Scalars['ID']['input'];
};


export type MutationImportDatasetArgs = {
  input: ImportDatasetInput;
};


export type MutationLogEpochArgs = {
  input: EpochInput;
  runId: Scalars['ID']['input'];
};


export type MutationLogMetricSeriesArgs = {
  runId: Scalars['ID']['input'];
  series: Array<MetricSeriesInput>;
};


export type MutationLogMetricsArgs = {
  points: Array<MetricInput>;
  runId: Scalars['ID']['input'];
};


export type MutationLogParamsArgs = {
  params: Scalars['JSON']['input'];
  runId: Scalars['ID']['input'];
};


export type MutationPredictArgs = {
  deploymentId: Scalars['ID']['input'];
  images: Array<PredictImageInput>;
};


export type MutationRecordEvaluationArgs = {
  input: EvaluationInput;
  runId: Scalars['ID']['input'];
};


export type MutationRecordTruthArgs = {
  deploymentId: Scalars['ID']['input'];
  truths: Array<TruthInput>;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetRunTagsArgs = {
  runId: Scalars['ID']['input'];
  tags: Array<RunTagInput>;
};


export type MutationStartLearningCurveArgs = {
  input: LearningCurveInput;
};


export type MutationStartRobustnessStudyArgs = {
  input: RobustnessStudyInput;
};


export type MutationStartTrainingArgs = {
  input: StartTrainingInput;
};


export type MutationUndeployArgs = {
  id: Scalars['ID']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * Runs whose parameter `key` equals a value (as numbers when both read as
 * numbers, so "0.001" matches "1e-3"; otherwise as text) or lies within bounds
 * (numeric values only). Give equals, or bounds, or both.
 */
export type ParamFilter = {
  equals?: InputMaybe<Scalars['String']['input']>;
  gt?: InputMaybe<Scalars['Float']['input']>;
  gte?: InputMaybe<Scalars['Float']['input']>;
  key: Scalars['String']['input'];
  lt?: InputMaybe<Scalars['Float']['input']>;
  lte?: InputMaybe<Scalars['Float']['input']>;
};

/** Exactly one; a uri is read like a dataset's image (inside EPOCHAL_IMPORT_ROOTS or the data folder). */
export type PredictImageInput = {
  base64?: InputMaybe<Scalars['String']['input']>;
  uri?: InputMaybe<Scalars['String']['input']>;
};

export type Prediction = {
  __typename?: 'Prediction';
  /** Its score, 0-1. */
  confidence: Scalars['Float']['output'];
  /** SHA-256 of the bytes: the same bytes again return the stored prediction. */
  contentHash: Scalars['String']['output'];
  contrast: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The top label. */
  label: Scalars['String']['output'];
  /** Greyscale statistics of the image, 0-1: what the monitor compares. */
  meanIntensity: Scalars['Float']['output'];
  /** Every label's score, in the deployment's label order; they sum to 1. */
  scores: Array<LabelScore>;
  sharpness: Scalars['Float']['output'];
  /** The true label, once recorded. */
  truth?: Maybe<Scalars['String']['output']>;
  /** As given; null for images sent inline. */
  uri?: Maybe<Scalars['String']['output']>;
  /** Its window (0-based). */
  window: Scalars['Int']['output'];
};

export type PredictionConnection = {
  __typename?: 'PredictionConnection';
  edges: Array<PredictionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type PredictionEdge = {
  __typename?: 'PredictionEdge';
  cursor: Scalars['String']['output'];
  node: Prediction;
};

/**
 * A group of runs: one study, one paper, one team's experiments. Every run
 * belongs to one; "default" unless createRun names another. MLflow's
 * experiments are projects (the default project is MLflow's experiment "0").
 */
export type Project = {
  __typename?: 'Project';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
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
  deployment?: Maybe<Deployment>;
  /** Newest first. */
  deployments: Array<Deployment>;
  project?: Maybe<Project>;
  /** Oldest first; "default" leads. */
  projects: Array<Project>;
  run?: Maybe<Run>;
  /**
   * Newest first, or in orderBy's order; cursors stay stable under that order
   * (pass back endCursor with the same filter and orderBy). first: 0 to 200.
   */
  runs: RunConnection;
  /** Server version and which engines this server's workers can use. */
  serverInfo: ServerInfo;
  /** Every study, newest first. */
  studies: Array<Study>;
  study?: Maybe<Study>;
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
export type QueryDeploymentArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryProjectArgs = {
  name: Scalars['String']['input'];
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
  orderBy?: InputMaybe<RunOrder>;
};


/**
 * Errors: a refused operation answers a GraphQL error whose extensions.code is
 * BAD_USER_INPUT (invalid input; nothing was changed), NOT_FOUND, CONFLICT (the
 * state forbids it), UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED;
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type QueryStudyArgs = {
  id: Scalars['ID']['input'];
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

export type RobustnessStudyInput = {
  datasetId: Scalars['ID']['input'];
  maxCostUsd?: InputMaybe<Scalars['Float']['input']>;
  name: Scalars['String']['input'];
  rekognition?: InputMaybe<RekognitionConfigInput>;
  seeds: Array<Scalars['Int']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  tfjs?: InputMaybe<TfjsConfigInput>;
  trainer: TrainerKind;
  /** parentId may be left empty (""): the study's dataset is the parent. */
  variants: Array<DeriveDatasetInput>;
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
  /** The engine that trained it (tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu, rekognition), once known. */
  engine?: Maybe<Scalars['String']['output']>;
  /** By phase, in the order phases first appeared, then index. */
  epochs: Array<Epoch>;
  /** Why it FAILED, in words a user can act on. */
  error?: Maybe<Scalars['String']['output']>;
  /** On the dataset's TEST split, once known. */
  evaluation?: Maybe<Evaluation>;
  /** Evaluations of its model on other data, asked for with evaluateRun or by a study, any status. */
  evaluationJobs: Array<EvaluationJob>;
  /** Every evaluation of the run's model: its own TEST split (Run.evaluation) first, then on other data, oldest first. */
  evaluations: Array<Evaluation>;
  /**
   * The cursor of the run's latest event, read with the run itself (before its
   * other fields): load what you show, then subscribe to runEvents with this as
   * `after` to get everything that happened since, exactly.
   */
  eventCursor: Scalars['String']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The GPU's name when the engine used one (webgpu: the adapter's name). */
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
  /**
   * Its parameters, by key: the configuration's leaves (nested keys joined with
   * dots, e.g. tfjs.learningRate), MLflow's params, and logParams' updates.
   */
  params: Array<RunParam>;
  project: Project;
  /** When the run last reported: its last event (point, epoch, status, note) or heartbeat; its creation before any. */
  reportedAt?: Maybe<Scalars['DateTime']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
  /** The study that planned it; null for a run of its own. */
  study?: Maybe<Study>;
  /** Last, minimum and maximum of every metric key, by key, kept current as points and epochs arrive. */
  summaries: Array<MetricSummary>;
  /** One key's summary; null for a key never logged. */
  summary?: Maybe<MetricSummary>;
  /** Key/value tags (MLflow's set-tag), by key; `tags` holds the plain label tags. */
  tagValues: Array<RunTag>;
  tags: Array<Scalars['String']['output']>;
  /** EXTERNAL runs: seconds without a report before the run fails (0: never); null for runs trained by workers, which have their own heartbeats. */
  timeoutSeconds?: Maybe<Scalars['Int']['output']>;
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


/**
 * One training run. An EXTERNAL run is RUNNING from its creation until finishRun;
 * a started training is QUEUED until a worker takes it.
 */
export type RunSummaryArgs = {
  key: Scalars['String']['input'];
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

/** Every condition given must hold. */
export type RunFilter = {
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  /** Bounds on metric summaries, e.g. { key: "val_accuracy", aggregate: MAX, gt: 0.9 }. At most 10. */
  metrics?: InputMaybe<Array<MetricFilter>>;
  nameContains?: InputMaybe<Scalars['String']['input']>;
  /** Conditions on parameters, e.g. { key: "learningRate", equals: "0.001" }. At most 10. */
  params?: InputMaybe<Array<ParamFilter>>;
  /** A project's name. */
  project?: InputMaybe<Scalars['String']['input']>;
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
  /** Its place in the run's events when sent by runEvents; null in Run.notes. */
  cursor?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  message: Scalars['String']['output'];
  runId: Scalars['ID']['output'];
  time: Scalars['DateTime']['output'];
};

/**
 * The order of Query.runs: by a metric summary or by a numeric parameter (exactly
 * one of metric, param), best first with direction DESC. Runs without a value come
 * last; ties (and the default, no order) newest first.
 */
export type RunOrder = {
  aggregate?: InputMaybe<MetricAggregate>;
  direction?: InputMaybe<SortDirection>;
  metric?: InputMaybe<Scalars['String']['input']>;
  param?: InputMaybe<Scalars['String']['input']>;
};

/** A parameter's value as given, as text (numbers as JSON writes them). */
export type RunParam = {
  __typename?: 'RunParam';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type RunTag = {
  __typename?: 'RunTag';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type RunTagInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

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

export type SortDirection =
  | 'ASC'
  | 'DESC';

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

/** Null in runStatusChanged (and wherever the event is not from runEvents). */
export type StatusChanged = {
  __typename?: 'StatusChanged';
  cursor?: Maybe<Scalars['String']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  runId: Scalars['ID']['output'];
  status: RunStatus;
};

/** Many runs planned as one question, answered as one table or curve. docs/studies.md explains the method and its limits. */
export type Study = {
  __typename?: 'Study';
  /** In x order (LEARNING_CURVE) or as given, baseline first (ROBUSTNESS). */
  arms: Array<StudyArm>;
  /** The runs' configuration; each run's own config has its seed set. */
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  /**
   * One point per arm over its SUCCEEDED runs: mean, sample std, and the 95% interval of the
   * mean (Student's t); null figures while an arm has none (std, low, high: fewer than 2).
   */
  curve: Array<CurvePoint>;
  /** The base dataset. */
  dataset: Dataset;
  /** REKOGNITION: training hours priced as docs/rekognition.md says, times the runs; null for TFJS. */
  estimatedCostUsd?: Maybe<Scalars['Float']['output']>;
  id: Scalars['ID']['output'];
  kind: StudyKind;
  /** The fewest TRAIN images among arms whose interval's lower end reaches `target`; null when none does yet. */
  minimalTrainingSize?: Maybe<Scalars['Int']['output']>;
  name: Scalars['String']['output'];
  /** One run per seed in every arm that trains. */
  seeds: Array<Scalars['Int']['output']>;
  /**
   * RUNNING while any run is QUEUED or RUNNING (or an evaluation of an arm is still to do); then
   * SUCCEEDED when every arm has at least one SUCCEEDED run, FAILED when an arm has none;
   * CANCELLED by cancelStudy.
   */
  status: RunStatus;
  tags: Array<Scalars['String']['output']>;
  trainer: TrainerKind;
};


/** Many runs planned as one question, answered as one table or curve. docs/studies.md explains the method and its limits. */
export type StudyCurveArgs = {
  label?: InputMaybe<Scalars['String']['input']>;
  metric?: InputMaybe<StudyMetric>;
};


/** Many runs planned as one question, answered as one table or curve. docs/studies.md explains the method and its limits. */
export type StudyMinimalTrainingSizeArgs = {
  label?: InputMaybe<Scalars['String']['input']>;
  metric?: InputMaybe<StudyMetric>;
  target: Scalars['Float']['input'];
};

export type StudyArm = {
  __typename?: 'StudyArm';
  /** The dataset the arm trains (or is evaluated) on. */
  dataset: Dataset;
  /** True when the arm evaluates the baseline's models instead of training its own. */
  evaluatesBaseline: Scalars['Boolean']['output'];
  /** "25%", "baseline", "label noise 0.2", ... */
  name: Scalars['String']['output'];
  /**
   * One per seed. An arm that only corrupts TEST trains nothing: these are the baseline's runs,
   * whose models are evaluated on its dataset's TEST split (Run.evaluations).
   */
  runs: Array<Run>;
  /** LEARNING_CURVE: the fraction; ROBUSTNESS: the arm's position. */
  x: Scalars['Float']['output'];
};

export type StudyKind =
  | 'LEARNING_CURVE'
  | 'ROBUSTNESS';

/** F1 is per label: give `label` with it. */
export type StudyMetric =
  | 'ACCURACY'
  | 'F1'
  | 'MACRO_F1';

/** The study's status after `run` changed; run null: the study itself ended (the last event). */
export type StudyProgress = {
  __typename?: 'StudyProgress';
  run?: Maybe<StatusChanged>;
  status: RunStatus;
  studyId: Scalars['ID']['output'];
};

/**
 * Of TRAIN, stratified: each label keeps round(fraction × its count) images (at least one), or
 * perLabel of them (all, if it has fewer). Nested: with one seed, a smaller fraction is a subset
 * of a larger one. Exactly one of fraction (in (0, 1]) and perLabel.
 */
export type SubsampleInput = {
  fraction?: InputMaybe<Scalars['Float']['input']>;
  perLabel?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The deployment's current status first (a client then knows it is live), then status changes, closed windows and raised alerts as they happen. */
  deploymentEvents: DeploymentEvent;
  /**
   * Everything that happens to one run, live. Give at most one of after and afterStep.
   *
   * after: an event's cursor (or Run.eventCursor, or "0" for the run's first
   * event): everything committed after it is sent, then live events, with no gap
   * and no duplicate, also when several writers log into the run at once. This is
   * how to resume.
   *
   * afterStep: the points stored after that step (and the status, epochs and notes
   * so far) are sent first, then live events, with no gap and no duplicate between
   * the two. Resuming with the last step seen is exact only with one writer whose
   * steps only grow; with several writers a point committed late with a lower
   * step would be skipped, so resume with after instead.
   *
   * Neither: live events only, from now on.
   */
  runEvents: RunEvent;
  /** Status changes of every run, for run lists and dashboards. */
  runStatusChanged: StatusChanged;
  /** One event per status change of any of its runs, and one (run: null) when the study ends; then the stream ends. */
  studyEvents: StudyProgress;
};


export type SubscriptionDeploymentEventsArgs = {
  deploymentId: Scalars['ID']['input'];
};


export type SubscriptionRunEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  afterStep?: InputMaybe<Scalars['Int']['input']>;
  runId: Scalars['ID']['input'];
};


export type SubscriptionStudyEventsArgs = {
  studyId: Scalars['ID']['input'];
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
  /** Folder of a pretrained base (tfjs layers format), inside EPOCHAL_IMPORT_ROOTS or EPOCHAL_DATA_DIR; none: train from scratch. */
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
  /**
   * MOBILENET_V2 only: start from the MobileNetV2 backbone shipped in the nsfwjs npm
   * package instead of random weights: ImageNet-initialised, its upper blocks then
   * fine-tuned on another task (NSFW image classes), cut at out_relu, input RGB in
   * [0, 1], at any imageSize >= 32. Needs channels 3; not with baseModelPath.
   */
  pretrained?: InputMaybe<Scalars['Boolean']['input']>;
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

export type TruthInput = {
  label: Scalars['String']['input'];
  predictionId: Scalars['ID']['input'];
};

export type WindowClosed = {
  __typename?: 'WindowClosed';
  deploymentId: Scalars['ID']['output'];
  window: MonitorWindow;
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
  DeploymentEvent:
    | ( DeploymentEventModel )
    | ( DeploymentEventModel )
    | ( DeploymentEventModel )
  ;
  RunEvent:
    | ( RunEventModel )
    | ( RunEventModel )
    | ( RunEventModel )
    | ( RunEventModel )
  ;
};


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Alert: ResolverTypeWrapper<AlertRecordModel>;
  AlertRaised: ResolverTypeWrapper<DeploymentEventModel>;
  AlertRule: ResolverTypeWrapper<AlertRuleModel>;
  AlertRuleInput: AlertRuleInput;
  ApiKey: ResolverTypeWrapper<ApiKeyRecordModel>;
  Architecture: Architecture;
  Artifact: ResolverTypeWrapper<ArtifactRecordModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ClassCount: ResolverTypeWrapper<ClassCount>;
  ClassImbalanceInput: ClassImbalanceInput;
  ClassMetrics: ResolverTypeWrapper<ClassMetrics>;
  ComparisonRow: ResolverTypeWrapper<ComparisonRow>;
  Corruption: Corruption;
  CorruptionInput: CorruptionInput;
  CreateDatasetInput: CreateDatasetInput;
  CreateRunInput: CreateRunInput;
  CreatedApiKey: ResolverTypeWrapper<Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  CurvePoint: ResolverTypeWrapper<CurvePointModel>;
  Dataset: ResolverTypeWrapper<DatasetRecordModel>;
  DatasetImage: ResolverTypeWrapper<DatasetImageRecordModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeployInput: DeployInput;
  Deployment: ResolverTypeWrapper<DeploymentRecordModel>;
  DeploymentEvent: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['DeploymentEvent']>;
  DeploymentStatus: DeploymentStatus;
  DeploymentStatusChanged: ResolverTypeWrapper<DeploymentEventModel>;
  Derivation: ResolverTypeWrapper<Derivation>;
  DerivationKind: DerivationKind;
  DeriveDatasetInput: DeriveDatasetInput;
  Epoch: ResolverTypeWrapper<EpochRecordModel>;
  EpochCompleted: ResolverTypeWrapper<RunEventModel>;
  EpochInput: EpochInput;
  Evaluation: ResolverTypeWrapper<EvaluationRecordModel>;
  EvaluationInput: EvaluationInput;
  EvaluationJob: ResolverTypeWrapper<ModelEvaluationRecordModel>;
  EvaluationJobStatus: EvaluationJobStatus;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImageInput: ImageInput;
  ImportDatasetInput: ImportDatasetInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  LabelNoiseInput: LabelNoiseInput;
  LabelScore: ResolverTypeWrapper<LabelScore>;
  LearningCurveInput: LearningCurveInput;
  LogMetricsResult: ResolverTypeWrapper<LogMetricsResult>;
  MetricAggregate: MetricAggregate;
  MetricFilter: MetricFilter;
  MetricInput: MetricInput;
  MetricPoint: ResolverTypeWrapper<MetricPointRecordModel>;
  MetricSeries: ResolverTypeWrapper<MetricSeriesModel>;
  MetricSeriesInput: MetricSeriesInput;
  MetricSummary: ResolverTypeWrapper<MetricSummaryRecordModel>;
  MetricsLogged: ResolverTypeWrapper<RunEventModel>;
  MonitorMetric: MonitorMetric;
  MonitorReference: ResolverTypeWrapper<MonitorReference>;
  MonitorWindow: ResolverTypeWrapper<WindowRecordModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  ParamFilter: ParamFilter;
  PredictImageInput: PredictImageInput;
  Prediction: ResolverTypeWrapper<PredictionRecordModel>;
  PredictionConnection: ResolverTypeWrapper<PredictionPageModel>;
  PredictionEdge: ResolverTypeWrapper<Omit<PredictionEdge, 'node'> & { node: ResolversTypes['Prediction'] }>;
  Project: ResolverTypeWrapper<ProjectRecordModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RekognitionConfigInput: RekognitionConfigInput;
  RobustnessStudyInput: RobustnessStudyInput;
  Run: ResolverTypeWrapper<RunRecordModel>;
  RunComparison: ResolverTypeWrapper<RunComparisonModel>;
  RunConnection: ResolverTypeWrapper<RunPageModel>;
  RunCost: ResolverTypeWrapper<RunCost>;
  RunEdge: ResolverTypeWrapper<Omit<RunEdge, 'node'> & { node: ResolversTypes['Run'] }>;
  RunEvent: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RunEvent']>;
  RunFilter: RunFilter;
  RunNote: ResolverTypeWrapper<RunEventModel>;
  RunOrder: RunOrder;
  RunParam: ResolverTypeWrapper<RunParam>;
  RunStatus: RunStatus;
  RunTag: ResolverTypeWrapper<RunTag>;
  RunTagInput: RunTagInput;
  Scope: Scope;
  ServerInfo: ResolverTypeWrapper<ServerInfoRootModel>;
  SortDirection: SortDirection;
  Split: Split;
  StartTrainingInput: StartTrainingInput;
  StatusChanged: ResolverTypeWrapper<RunEventModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Study: ResolverTypeWrapper<StudyRecordModel>;
  StudyArm: ResolverTypeWrapper<StudyArmRecordModel>;
  StudyKind: StudyKind;
  StudyMetric: StudyMetric;
  StudyProgress: ResolverTypeWrapper<StudyProgressModel>;
  SubsampleInput: SubsampleInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SyntheticDatasetInput: SyntheticDatasetInput;
  TfjsConfigInput: TfjsConfigInput;
  TrainerAvailability: ResolverTypeWrapper<TrainerAvailability>;
  TrainerKind: TrainerKind;
  TrainingSpeed: ResolverTypeWrapper<TrainingSpeed>;
  TruthInput: TruthInput;
  WindowClosed: ResolverTypeWrapper<DeploymentEventModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Alert: AlertRecordModel;
  AlertRaised: DeploymentEventModel;
  AlertRule: AlertRuleModel;
  AlertRuleInput: AlertRuleInput;
  ApiKey: ApiKeyRecordModel;
  Artifact: ArtifactRecordModel;
  Boolean: Scalars['Boolean']['output'];
  ClassCount: ClassCount;
  ClassImbalanceInput: ClassImbalanceInput;
  ClassMetrics: ClassMetrics;
  ComparisonRow: ComparisonRow;
  CorruptionInput: CorruptionInput;
  CreateDatasetInput: CreateDatasetInput;
  CreateRunInput: CreateRunInput;
  CreatedApiKey: Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  CurvePoint: CurvePointModel;
  Dataset: DatasetRecordModel;
  DatasetImage: DatasetImageRecordModel;
  DateTime: Scalars['DateTime']['output'];
  DeployInput: DeployInput;
  Deployment: DeploymentRecordModel;
  DeploymentEvent: ResolversUnionTypes<ResolversParentTypes>['DeploymentEvent'];
  DeploymentStatusChanged: DeploymentEventModel;
  Derivation: Derivation;
  DeriveDatasetInput: DeriveDatasetInput;
  Epoch: EpochRecordModel;
  EpochCompleted: RunEventModel;
  EpochInput: EpochInput;
  Evaluation: EvaluationRecordModel;
  EvaluationInput: EvaluationInput;
  EvaluationJob: ModelEvaluationRecordModel;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  ImageInput: ImageInput;
  ImportDatasetInput: ImportDatasetInput;
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  LabelNoiseInput: LabelNoiseInput;
  LabelScore: LabelScore;
  LearningCurveInput: LearningCurveInput;
  LogMetricsResult: LogMetricsResult;
  MetricFilter: MetricFilter;
  MetricInput: MetricInput;
  MetricPoint: MetricPointRecordModel;
  MetricSeries: MetricSeriesModel;
  MetricSeriesInput: MetricSeriesInput;
  MetricSummary: MetricSummaryRecordModel;
  MetricsLogged: RunEventModel;
  MonitorReference: MonitorReference;
  MonitorWindow: WindowRecordModel;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  ParamFilter: ParamFilter;
  PredictImageInput: PredictImageInput;
  Prediction: PredictionRecordModel;
  PredictionConnection: PredictionPageModel;
  PredictionEdge: Omit<PredictionEdge, 'node'> & { node: ResolversParentTypes['Prediction'] };
  Project: ProjectRecordModel;
  Query: Record<PropertyKey, never>;
  RekognitionConfigInput: RekognitionConfigInput;
  RobustnessStudyInput: RobustnessStudyInput;
  Run: RunRecordModel;
  RunComparison: RunComparisonModel;
  RunConnection: RunPageModel;
  RunCost: RunCost;
  RunEdge: Omit<RunEdge, 'node'> & { node: ResolversParentTypes['Run'] };
  RunEvent: ResolversUnionTypes<ResolversParentTypes>['RunEvent'];
  RunFilter: RunFilter;
  RunNote: RunEventModel;
  RunOrder: RunOrder;
  RunParam: RunParam;
  RunTag: RunTag;
  RunTagInput: RunTagInput;
  ServerInfo: ServerInfoRootModel;
  StartTrainingInput: StartTrainingInput;
  StatusChanged: RunEventModel;
  String: Scalars['String']['output'];
  Study: StudyRecordModel;
  StudyArm: StudyArmRecordModel;
  StudyProgress: StudyProgressModel;
  SubsampleInput: SubsampleInput;
  Subscription: Record<PropertyKey, never>;
  SyntheticDatasetInput: SyntheticDatasetInput;
  TfjsConfigInput: TfjsConfigInput;
  TrainerAvailability: TrainerAvailability;
  TrainingSpeed: TrainingSpeed;
  TruthInput: TruthInput;
  WindowClosed: DeploymentEventModel;
};

export type AlertResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Alert'] = ResolversParentTypes['Alert']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['MonitorMetric'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  window?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AlertRaisedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AlertRaised'] = ResolversParentTypes['AlertRaised']> = {
  alert?: Resolver<ResolversTypes['Alert'], ParentType, ContextType>;
  deploymentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AlertRuleResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AlertRule'] = ResolversParentTypes['AlertRule']> = {
  above?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  below?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['MonitorMetric'], ParentType, ContextType>;
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

export type CurvePointResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CurvePoint'] = ResolversParentTypes['CurvePoint']> = {
  arm?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  high?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  low?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  mean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  runs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  std?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  trainImages?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type DatasetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset']> = {
  children?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType>;
  classCounts?: Resolver<Array<ResolversTypes['ClassCount']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  derivation?: Resolver<Maybe<ResolversTypes['Derivation']>, ParentType, ContextType>;
  digest?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['DatasetImage']>, ParentType, ContextType, RequireFields<DatasetImagesArgs, 'first'>>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
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

export type DeploymentResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Deployment'] = ResolversParentTypes['Deployment']> = {
  activeSince?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  alertRules?: Resolver<Array<ResolversTypes['AlertRule']>, ParentType, ContextType>;
  alerts?: Resolver<Array<ResolversTypes['Alert']>, ParentType, ContextType>;
  costPerHourUsd?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['MetricSeries'], ParentType, ContextType, RequireFields<DeploymentMetricArgs, 'key' | 'maxPoints'>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  predictions?: Resolver<ResolversTypes['PredictionConnection'], ParentType, ContextType, RequireFields<DeploymentPredictionsArgs, 'first'>>;
  reference?: Resolver<Maybe<ResolversTypes['MonitorReference']>, ParentType, ContextType>;
  run?: Resolver<ResolversTypes['Run'], ParentType, ContextType>;
  runningCostUsd?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DeploymentStatus'], ParentType, ContextType>;
  stoppedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  windowSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  windows?: Resolver<Array<ResolversTypes['MonitorWindow']>, ParentType, ContextType, RequireFields<DeploymentWindowsArgs, 'last'>>;
};

export type DeploymentEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeploymentEvent'] = ResolversParentTypes['DeploymentEvent']> = {
  __resolveType: TypeResolveFn<'AlertRaised' | 'DeploymentStatusChanged' | 'WindowClosed', ParentType, ContextType>;
};

export type DeploymentStatusChangedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeploymentStatusChanged'] = ResolversParentTypes['DeploymentStatusChanged']> = {
  deploymentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DeploymentStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type DerivationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Derivation'] = ResolversParentTypes['Derivation']> = {
  kind?: Resolver<ResolversTypes['DerivationKind'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  seed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

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
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  epoch?: Resolver<ResolversTypes['Epoch'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type EvaluationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Evaluation'] = ResolversParentTypes['Evaluation']> = {
  accuracy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  confusionMatrix?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  labels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  macroF1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  perClass?: Resolver<Array<ResolversTypes['ClassMetrics']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  split?: Resolver<Maybe<ResolversTypes['Split']>, ParentType, ContextType>;
  testImages?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type EvaluationJobResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EvaluationJob'] = ResolversParentTypes['EvaluationJob']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  evaluation?: Resolver<Maybe<ResolversTypes['Evaluation']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  run?: Resolver<ResolversTypes['Run'], ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['EvaluationJobStatus'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LabelScoreResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LabelScore'] = ResolversParentTypes['LabelScore']> = {
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

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

export type MetricSummaryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MetricSummary'] = ResolversParentTypes['MetricSummary']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  last?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lastStep?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  max?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  min?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MetricsLoggedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MetricsLogged'] = ResolversParentTypes['MetricsLogged']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes['MetricPoint']>, ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MonitorReferenceResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MonitorReference'] = ResolversParentTypes['MonitorReference']> = {
  contrast?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  images?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  meanConfidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanIntensity?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  predictedShare?: Resolver<Array<ResolversTypes['LabelScore']>, ParentType, ContextType>;
  sharpness?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type MonitorWindowResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MonitorWindow'] = ResolversParentTypes['MonitorWindow']> = {
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  evaluation?: Resolver<Maybe<ResolversTypes['Evaluation']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputDrift?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanConfidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  predictedClassPsi?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  predictedShare?: Resolver<Array<ResolversTypes['LabelScore']>, ParentType, ContextType>;
  predictions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationCancelRunArgs, 'id'>>;
  cancelStudy?: Resolver<ResolversTypes['Study'], ParentType, ContextType, RequireFields<MutationCancelStudyArgs, 'id'>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'name' | 'scope'>>;
  createDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationCreateDatasetArgs, 'input'>>;
  createProject?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<MutationCreateProjectArgs, 'name'>>;
  createRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationCreateRunArgs, 'input'>>;
  deleteRun?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteRunArgs, 'id'>>;
  deploy?: Resolver<ResolversTypes['Deployment'], ParentType, ContextType, RequireFields<MutationDeployArgs, 'input'>>;
  deriveDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationDeriveDatasetArgs, 'input'>>;
  evaluateRun?: Resolver<ResolversTypes['EvaluationJob'], ParentType, ContextType, RequireFields<MutationEvaluateRunArgs, 'datasetId' | 'runId' | 'split'>>;
  finishRun?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationFinishRunArgs, 'id' | 'status'>>;
  generateSyntheticDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationGenerateSyntheticDatasetArgs, 'input'>>;
  heartbeat?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationHeartbeatArgs, 'runId'>>;
  importDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationImportDatasetArgs, 'input'>>;
  logEpoch?: Resolver<ResolversTypes['Epoch'], ParentType, ContextType, RequireFields<MutationLogEpochArgs, 'input' | 'runId'>>;
  logMetricSeries?: Resolver<ResolversTypes['LogMetricsResult'], ParentType, ContextType, RequireFields<MutationLogMetricSeriesArgs, 'runId' | 'series'>>;
  logMetrics?: Resolver<ResolversTypes['LogMetricsResult'], ParentType, ContextType, RequireFields<MutationLogMetricsArgs, 'points' | 'runId'>>;
  logParams?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationLogParamsArgs, 'params' | 'runId'>>;
  predict?: Resolver<Array<ResolversTypes['Prediction']>, ParentType, ContextType, RequireFields<MutationPredictArgs, 'deploymentId' | 'images'>>;
  recordEvaluation?: Resolver<ResolversTypes['Evaluation'], ParentType, ContextType, RequireFields<MutationRecordEvaluationArgs, 'input' | 'runId'>>;
  recordTruth?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationRecordTruthArgs, 'deploymentId' | 'truths'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  setRunTags?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationSetRunTagsArgs, 'runId' | 'tags'>>;
  startLearningCurve?: Resolver<ResolversTypes['Study'], ParentType, ContextType, RequireFields<MutationStartLearningCurveArgs, 'input'>>;
  startRobustnessStudy?: Resolver<ResolversTypes['Study'], ParentType, ContextType, RequireFields<MutationStartRobustnessStudyArgs, 'input'>>;
  startTraining?: Resolver<ResolversTypes['Run'], ParentType, ContextType, RequireFields<MutationStartTrainingArgs, 'input'>>;
  undeploy?: Resolver<ResolversTypes['Deployment'], ParentType, ContextType, RequireFields<MutationUndeployArgs, 'id'>>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PredictionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Prediction'] = ResolversParentTypes['Prediction']> = {
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  contentHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contrast?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  meanIntensity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  scores?: Resolver<Array<ResolversTypes['LabelScore']>, ParentType, ContextType>;
  sharpness?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  truth?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  uri?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  window?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PredictionConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PredictionConnection'] = ResolversParentTypes['PredictionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PredictionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PredictionEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PredictionEdge'] = ResolversParentTypes['PredictionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Prediction'], ParentType, ContextType>;
};

export type ProjectResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Project'] = ResolversParentTypes['Project']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  compareRuns?: Resolver<ResolversTypes['RunComparison'], ParentType, ContextType, RequireFields<QueryCompareRunsArgs, 'ids'>>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetArgs, 'id'>>;
  datasets?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType>;
  deployment?: Resolver<Maybe<ResolversTypes['Deployment']>, ParentType, ContextType, RequireFields<QueryDeploymentArgs, 'id'>>;
  deployments?: Resolver<Array<ResolversTypes['Deployment']>, ParentType, ContextType>;
  project?: Resolver<Maybe<ResolversTypes['Project']>, ParentType, ContextType, RequireFields<QueryProjectArgs, 'name'>>;
  projects?: Resolver<Array<ResolversTypes['Project']>, ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['Run']>, ParentType, ContextType, RequireFields<QueryRunArgs, 'id'>>;
  runs?: Resolver<ResolversTypes['RunConnection'], ParentType, ContextType, RequireFields<QueryRunsArgs, 'first'>>;
  serverInfo?: Resolver<ResolversTypes['ServerInfo'], ParentType, ContextType>;
  studies?: Resolver<Array<ResolversTypes['Study']>, ParentType, ContextType>;
  study?: Resolver<Maybe<ResolversTypes['Study']>, ParentType, ContextType, RequireFields<QueryStudyArgs, 'id'>>;
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
  evaluationJobs?: Resolver<Array<ResolversTypes['EvaluationJob']>, ParentType, ContextType>;
  evaluations?: Resolver<Array<ResolversTypes['Evaluation']>, ParentType, ContextType>;
  eventCursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  gpuName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['MetricSeries'], ParentType, ContextType, RequireFields<RunMetricArgs, 'key' | 'maxPoints'>>;
  metricKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notes?: Resolver<Array<ResolversTypes['RunNote']>, ParentType, ContextType>;
  outputs?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  params?: Resolver<Array<ResolversTypes['RunParam']>, ParentType, ContextType>;
  project?: Resolver<ResolversTypes['Project'], ParentType, ContextType>;
  reportedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  study?: Resolver<Maybe<ResolversTypes['Study']>, ParentType, ContextType>;
  summaries?: Resolver<Array<ResolversTypes['MetricSummary']>, ParentType, ContextType>;
  summary?: Resolver<Maybe<ResolversTypes['MetricSummary']>, ParentType, ContextType, RequireFields<RunSummaryArgs, 'key'>>;
  tagValues?: Resolver<Array<ResolversTypes['RunTag']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  timeoutSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
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
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  time?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type RunParamResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunParam'] = ResolversParentTypes['RunParam']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RunTagResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RunTag'] = ResolversParentTypes['RunTag']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ServerInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ServerInfo'] = ResolversParentTypes['ServerInfo']> = {
  engine?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  inProcessWorker?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  trainers?: Resolver<Array<ResolversTypes['TrainerAvailability']>, ParentType, ContextType>;
  trainingSpeed?: Resolver<Maybe<ResolversTypes['TrainingSpeed']>, ParentType, ContextType, RequireFields<ServerInfoTrainingSpeedArgs, 'architecture' | 'imageSize'>>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StatusChangedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['StatusChanged'] = ResolversParentTypes['StatusChanged']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type StudyResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Study'] = ResolversParentTypes['Study']> = {
  arms?: Resolver<Array<ResolversTypes['StudyArm']>, ParentType, ContextType>;
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  curve?: Resolver<Array<ResolversTypes['CurvePoint']>, ParentType, ContextType, RequireFields<StudyCurveArgs, 'metric'>>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  estimatedCostUsd?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['StudyKind'], ParentType, ContextType>;
  minimalTrainingSize?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType, RequireFields<StudyMinimalTrainingSizeArgs, 'metric' | 'target'>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seeds?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  trainer?: Resolver<ResolversTypes['TrainerKind'], ParentType, ContextType>;
};

export type StudyArmResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['StudyArm'] = ResolversParentTypes['StudyArm']> = {
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  evaluatesBaseline?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runs?: Resolver<Array<ResolversTypes['Run']>, ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type StudyProgressResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['StudyProgress'] = ResolversParentTypes['StudyProgress']> = {
  run?: Resolver<Maybe<ResolversTypes['StatusChanged']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  studyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  deploymentEvents?: SubscriptionResolver<ResolversTypes['DeploymentEvent'], "deploymentEvents", ParentType, ContextType, RequireFields<SubscriptionDeploymentEventsArgs, 'deploymentId'>>;
  runEvents?: SubscriptionResolver<ResolversTypes['RunEvent'], "runEvents", ParentType, ContextType, RequireFields<SubscriptionRunEventsArgs, 'runId'>>;
  runStatusChanged?: SubscriptionResolver<ResolversTypes['StatusChanged'], "runStatusChanged", ParentType, ContextType>;
  studyEvents?: SubscriptionResolver<ResolversTypes['StudyProgress'], "studyEvents", ParentType, ContextType, RequireFields<SubscriptionStudyEventsArgs, 'studyId'>>;
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

export type WindowClosedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WindowClosed'] = ResolversParentTypes['WindowClosed']> = {
  deploymentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  window?: Resolver<ResolversTypes['MonitorWindow'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  Alert?: AlertResolvers<ContextType>;
  AlertRaised?: AlertRaisedResolvers<ContextType>;
  AlertRule?: AlertRuleResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
  Artifact?: ArtifactResolvers<ContextType>;
  ClassCount?: ClassCountResolvers<ContextType>;
  ClassMetrics?: ClassMetricsResolvers<ContextType>;
  ComparisonRow?: ComparisonRowResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  CurvePoint?: CurvePointResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DatasetImage?: DatasetImageResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Deployment?: DeploymentResolvers<ContextType>;
  DeploymentEvent?: DeploymentEventResolvers<ContextType>;
  DeploymentStatusChanged?: DeploymentStatusChangedResolvers<ContextType>;
  Derivation?: DerivationResolvers<ContextType>;
  Epoch?: EpochResolvers<ContextType>;
  EpochCompleted?: EpochCompletedResolvers<ContextType>;
  Evaluation?: EvaluationResolvers<ContextType>;
  EvaluationJob?: EvaluationJobResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LabelScore?: LabelScoreResolvers<ContextType>;
  LogMetricsResult?: LogMetricsResultResolvers<ContextType>;
  MetricPoint?: MetricPointResolvers<ContextType>;
  MetricSeries?: MetricSeriesResolvers<ContextType>;
  MetricSummary?: MetricSummaryResolvers<ContextType>;
  MetricsLogged?: MetricsLoggedResolvers<ContextType>;
  MonitorReference?: MonitorReferenceResolvers<ContextType>;
  MonitorWindow?: MonitorWindowResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Prediction?: PredictionResolvers<ContextType>;
  PredictionConnection?: PredictionConnectionResolvers<ContextType>;
  PredictionEdge?: PredictionEdgeResolvers<ContextType>;
  Project?: ProjectResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Run?: RunResolvers<ContextType>;
  RunComparison?: RunComparisonResolvers<ContextType>;
  RunConnection?: RunConnectionResolvers<ContextType>;
  RunCost?: RunCostResolvers<ContextType>;
  RunEdge?: RunEdgeResolvers<ContextType>;
  RunEvent?: RunEventResolvers<ContextType>;
  RunNote?: RunNoteResolvers<ContextType>;
  RunParam?: RunParamResolvers<ContextType>;
  RunTag?: RunTagResolvers<ContextType>;
  ServerInfo?: ServerInfoResolvers<ContextType>;
  StatusChanged?: StatusChangedResolvers<ContextType>;
  Study?: StudyResolvers<ContextType>;
  StudyArm?: StudyArmResolvers<ContextType>;
  StudyProgress?: StudyProgressResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TrainerAvailability?: TrainerAvailabilityResolvers<ContextType>;
  TrainingSpeed?: TrainingSpeedResolvers<ContextType>;
  WindowClosed?: WindowClosedResolvers<ContextType>;
};

