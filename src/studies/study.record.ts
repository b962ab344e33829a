export type StudyKind = 'LEARNING_CURVE' | 'ROBUSTNESS';

/** Many runs planned as one question: a learning curve over TRAIN fractions, or robustness to derived data. */
export interface StudyRecord {
  id: string;
  name: string;
  kind: StudyKind;
  /** The base dataset; arms train (or are evaluated) on it or on datasets derived from it. */
  datasetId: string;
  trainer: 'TFJS' | 'REKOGNITION';
  /** One run per seed in every arm that trains. */
  seeds: number[];
  /** The runs' configuration before each run's seed is set in it. */
  config: Record<string, unknown>;
  tags: string[];
  /** REKOGNITION: the estimate made before anything started; null for TFJS. */
  estimatedCostUsd: number | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

export interface StudyArmRecord {
  studyId: string;
  /** 0-based, in x order (learning curve) or as given with the baseline first (robustness). */
  position: number;
  name: string;
  x: number;
  datasetId: string;
  /** Set when the arm trains nothing: it evaluates that arm's models (the baseline) on its own TEST split. */
  evaluatesArm: number | null;
}
