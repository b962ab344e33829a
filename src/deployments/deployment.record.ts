export type DeploymentStatus = 'STARTING' | 'ACTIVE' | 'STOPPED' | 'FAILED';
export const LIVE_STATUSES: readonly DeploymentStatus[] = ['STARTING', 'ACTIVE'];
export const MONITOR_METRICS = ['PREDICTED_CLASS_PSI', 'INPUT_DRIFT', 'MEAN_CONFIDENCE', 'MACRO_F1'] as const;
export type MonitorMetric = (typeof MONITOR_METRICS)[number];

/** Fires when the metric is above `above` or below `below` (exactly one is set). */
export interface AlertRule {
  metric: MonitorMetric;
  above: number | null;
  below: number | null;
}

/** What the model saw on its run's TEST split at deploy time: what windows are compared with. */
export interface MonitorReference {
  images: number;
  predictedShare: number[];
  meanConfidence: number;
  confidences: number[];
  meanIntensity: number[];
  contrast: number[];
  sharpness: number[];
}

export interface DeploymentRecord {
  id: string;
  name: string;
  runId: string;
  trainer: string;
  status: DeploymentStatus;
  error: string | null;
  labels: string[];
  windowSize: number;
  alertRules: AlertRule[];
  reference: MonitorReference | null;
  predictionCount: number;
  costPerHourUsd: number | null;
  createdAt: Date;
  activeSince: Date | null;
  stoppedAt: Date | null;
}

export interface PredictionRecord {
  id: string;
  deploymentId: string;
  /** 0-based arrival order within the deployment: window i holds seq i·windowSize … (i+1)·windowSize − 1. */
  seq: number;
  /** The deployment's window size: the prediction is in window floor(seq / windowSize). */
  windowSize: number;
  uri: string | null;
  contentHash: string;
  /** The deployment's labels, in score order. */
  labels: string[];
  label: string;
  confidence: number;
  scores: number[];
  meanIntensity: number;
  contrast: number;
  sharpness: number;
  truth: string | null;
  createdAt: Date;
}

export interface WindowRecord {
  deploymentId: string;
  index: number;
  labels: string[];
  start: Date;
  end: Date;
  predictions: number;
  predictedShare: number[];
  meanConfidence: number;
  predictedClassPsi: number;
  inputDrift: number;
  /** Over its predictions with a truth; null while none has one. */
  macroF1: number | null;
  /** Set where it was computed with the window (monitor reads, WindowClosed). */
  evaluation?: import('../evaluations/evaluation.record.js').EvaluationRecord | null;
}

export interface AlertRecord {
  id: string;
  deploymentId: string;
  ruleIndex: number;
  metric: MonitorMetric;
  window: number;
  value: number;
  threshold: number;
  createdAt: Date;
}

/** What deploymentEvents carries, as published in the writer's transaction. */
export type DeploymentMessage =
  | { type: 'status'; deploymentId: string; status: DeploymentStatus; error: string | null }
  | { type: 'window'; deploymentId: string; window: WindowRecord }
  | { type: 'alert'; deploymentId: string; alert: AlertRecord };
