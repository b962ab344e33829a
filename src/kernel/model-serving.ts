/**
 * The port between deployments (a domain) and trainers (plugins): a trainer
 * that can serve its runs' models says how to load one. The kernel names only
 * plain shapes here, so neither side imports the other.
 */

/** What a trainer needs to know of the run whose model it serves. */
export interface ServedRun {
  id: string;
  config: Record<string, unknown>;
  /** What the trainer recorded when the run finished (model ARNs, ...). */
  outputs: Record<string, unknown> | null;
  /** The run's files: the TFJS best checkpoint is kind `model`. */
  artifacts: readonly { kind: string; uri: string }[];
  /** Class names in the order of the model's outputs (the run's evaluation labels). */
  labels: readonly string[];
}

/** One image's answer: a score per label, in the model's label order, summing to 1. */
export type LabelScores = number[];

/** A model loaded and ready to answer. */
export interface LoadedModel {
  labels: readonly string[];
  /** Scores for each image's bytes, in order; the whole array is one (batched) model call where the engine allows. */
  predict(images: readonly Buffer[]): Promise<LabelScores[]>;
  /** Frees what the model holds (tensors, a started cloud model); called once, in every outcome. */
  unload(): Promise<void>;
  /** What the model costs while loaded, for the deployment page; null when free. */
  costPerHourUsd?: number | null;
}

export interface ModelServing {
  /** Loads the run's model; throws with a message a user can act on. */
  load(run: ServedRun, options: { signal?: AbortSignal; onProgress?: (message: string) => void }): Promise<LoadedModel>;
}
