/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/**
 * An EXTERNAL run a client reports into. With `id` (a UUID the client chose),
 * createRun is idempotent: sent again, it answers the run already created.
 */
export type CreateRunInput = {
  config?: unknown;
  datasetId?: string | number | null | undefined;
  id?: string | number | null | undefined;
  name: string;
  /** The project's name; created when missing. Default: "default". */
  project?: string | null | undefined;
  tags?: Array<string> | null | undefined;
  /**
   * Seconds without a report (a logged point or epoch, or a heartbeat) after which
   * the run becomes FAILED ("no report for …"): its script died. Default 3600;
   * 0: never; at most 2592000 (30 days).
   */
  timeoutSeconds?: number | null | undefined;
};

export type EpochInput = {
  accuracy?: number | null | undefined;
  durationMs?: number | null | undefined;
  index: number;
  learningRate?: number | null | undefined;
  loss?: number | null | undefined;
  phase?: string | null | undefined;
  valAccuracy?: number | null | undefined;
  valLoss?: number | null | undefined;
};

export type EvaluationInput = {
  confusionMatrix: Array<Array<number>>;
  labels: Array<string>;
};

/** step >= 0; value finite. */
export type MetricInput = {
  key: string;
  step: number;
  time?: string | null | undefined;
  value: number;
};

/**
 * One metric's points as columns, the fast form of a batch: point i is
 * (key, steps[i], values[i], times[i]). steps and values (and times, when
 * given) have one entry per point; a point without a time is stored with the
 * server's time. step >= 0; value finite.
 */
export type MetricSeriesInput = {
  key: string;
  steps: Array<number>;
  times?: Array<string> | null | undefined;
  values: Array<number>;
};

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type CreateRunMutationVariables = Exact<{
  input: CreateRunInput;
}>;


export type CreateRunMutation = { createRun: { id: string, name: string, status: RunStatus } };

export type LogMetricsMutationVariables = Exact<{
  runId: string | number;
  points: Array<MetricInput> | MetricInput;
}>;


export type LogMetricsMutation = { logMetrics: { accepted: number } };

export type LogMetricSeriesMutationVariables = Exact<{
  runId: string | number;
  series: Array<MetricSeriesInput> | MetricSeriesInput;
}>;


export type LogMetricSeriesMutation = { logMetricSeries: { accepted: number } };

export type LogEpochMutationVariables = Exact<{
  runId: string | number;
  input: EpochInput;
}>;


export type LogEpochMutation = { logEpoch: { phase: string, index: number } };

export type RecordEvaluationMutationVariables = Exact<{
  runId: string | number;
  input: EvaluationInput;
}>;


export type RecordEvaluationMutation = { recordEvaluation: { accuracy: number, macroF1: number } };

export type FinishRunMutationVariables = Exact<{
  id: string | number;
  status: RunStatus;
  error?: string | null | undefined;
}>;


export type FinishRunMutation = { finishRun: { id: string, status: RunStatus } };

export type WatchRunSubscriptionVariables = Exact<{
  runId: string | number;
  afterStep?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WatchRunSubscription = { runEvents:
    | { __typename: 'EpochCompleted', runId: string, cursor: string, epoch: { phase: string, index: number, loss: number | null, accuracy: number | null, valLoss: number | null, valAccuracy: number | null, learningRate: number | null, durationMs: number | null, createdAt: string } }
    | { __typename: 'MetricsLogged', runId: string, key: string, cursor: string, points: Array<{ step: number, value: number, time: string }> }
    | { __typename: 'RunNote' }
    | { __typename: 'StatusChanged', runId: string, status: RunStatus, error: string | null, statusCursor: string | null }
   };

export type WatchRunStartQueryVariables = Exact<{
  id: string | number;
}>;


export type WatchRunStartQuery = { run: { eventCursor: string } | null };
