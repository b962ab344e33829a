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
  /**
   * Frees what this process holds (tensors). `final`: the deployment ends
   * (undeploy, a failed start), so a model running in a cloud service is
   * stopped too; not final: only this process lets go (it is shutting down,
   * the deployment stays ACTIVE for the next one).
   */
  unload(options: { final: boolean }): Promise<void>;
  /** What the model costs while loaded, for the deployment page; null when free. */
  costPerHourUsd?: number | null;
}

export interface ModelServing {
  /** Loads the run's model (starting it where a service hosts it); throws with a message a user can act on. */
  load(run: ServedRun, options: { signal?: AbortSignal; onProgress?: (message: string) => void; localCopy?: (uri: string) => Promise<string> }): Promise<LoadedModel>;
  /** Stops the run's model where a service hosts it, loaded in this process or not (undeploy from another API process). */
  stop?(run: ServedRun): Promise<void>;
  /**
   * Stops the service-hosted models a crash left running: those whose run
   * `keep` says is neither training nor deployed. Called when an API starts.
   */
  sweep?(keep: (runId: string | null) => Promise<boolean>): Promise<void>;
}
