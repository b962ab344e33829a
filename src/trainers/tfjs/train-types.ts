import type { LabeledImage } from './data-splits.js';
import type { TrainingEngine } from './engine/select-engine.js';
import type { TfjsConfig } from './tfjs-config.js';

/** What trainClassifier takes, reports as it goes, and returns. */
export interface EpochReport {
  phase: 'train' | 'finetune';
  /** 0-based within the phase. */
  index: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  durationMs: number;
}

export interface TrainHooks {
  onEpoch(epoch: EpochReport): Promise<void>;
  /** Called every config.batchLogEvery batches; step counts batches across both phases (1-based). */
  onBatchLoss(step: number, loss: number): Promise<void>;
  /** Checked before every batch; when true, training throws TrainingCancelledError. */
  isCancelled(): boolean | Promise<boolean>;
  /** Once the model is built, before the first batch: whether its base is pretrained or trains from scratch. */
  onModelBuilt?(model: ModelSummary): Promise<void>;
}

export interface ModelSummary {
  architecture: string;
  /** False when there was no baseModelPath: the base starts from random weights, not ImageNet's. */
  pretrained: boolean;
  baseModelPath: string | null;
  /** The bundled pretrained base, in words (what it is and where it comes from); null otherwise. */
  baseDescription: string | null;
  parameters: number;
}

export interface TrainArtifact {
  kind: string;
  path: string;
  bytes: number;
}

export interface TrainResult {
  labels: string[];
  /** Rows: true label, columns: predicted label, in `labels` order. */
  confusionMatrix: number[][];
  testImages: number;
  model: ModelSummary;
  epochsRun: number;
  stoppedEarly: boolean;
  imagesPerSecond: number;
  artifacts: TrainArtifact[];
}

export interface TrainArgs {
  engine: TrainingEngine;
  config: TfjsConfig;
  labels: string[];
  train: LabeledImage[];
  validation: LabeledImage[] | null;
  test: LabeledImage[];
  workDir: string;
  hooks: TrainHooks;
  log?: (msg: string, extra?: object) => void;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled');
    this.name = 'TrainingCancelledError';
  }
}
