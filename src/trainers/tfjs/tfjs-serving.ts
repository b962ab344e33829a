import type { Tensor } from '@tensorflow/tfjs';
import { localPathOf } from '../../kernel/served-files.js';
import type { LoadedModel, ModelServing, ServedRun } from '../../kernel/model-serving.js';
import { loadTrainingEngine } from './engine/select-engine.js';
import { imageBytesToBatch } from './images/image-loader.js';
import { loadModelFromFolder } from './models/model-folder-io.js';
import { tfjsConfigOf } from './tfjs-trainer-job.js';

/** The artifact kind of a run's best checkpoint (restore_best_weights), the one deployed. */
export const SERVED_MODEL_KIND = 'model';

/** Where the `model` artifact can be read from: a local folder (the default) or a store that fetches it first. */
export type ModelFolderResolver = (uri: string) => Promise<string>;

const localFolder: ModelFolderResolver = async (uri) => {
  const local = localPathOf(uri);
  if (!local) throw new Error(`the model artifact ${uri} is not a local folder and no object store is configured to fetch it`);
  return local;
};

/**
 * Serves a TFJS run's best checkpoint in this process, on the engine this
 * machine has (see docs/deployments.md for why the API process). Images go
 * through imageBytesToBatch: the decoding, resizing and scaling of training.
 */
export function tfjsServing(): ModelServing {
  return {
    async load(run: ServedRun, options): Promise<LoadedModel> {
      // The caller knows where artifacts live (an object store, for a worker on another machine); else a local folder.
      const resolveFolder: ModelFolderResolver = options.localCopy ?? localFolder;
      const config = tfjsConfigOf(run);
      const artifact = run.artifacts.find((a) => a.kind === SERVED_MODEL_KIND);
      if (!artifact) throw new Error(`run ${run.id} has no "${SERVED_MODEL_KIND}" artifact (its best checkpoint); it cannot be deployed`);
      const engine = await loadTrainingEngine();
      const { tf } = engine;
      const model = await loadModelFromFolder(tf, await resolveFolder(artifact.uri));
      const outputs = (model.outputs[0].shape.at(-1) ?? 0) as number;
      if (outputs !== run.labels.length) {
        model.dispose();
        throw new Error(`the model has ${outputs} outputs but the run has ${run.labels.length} labels (${run.labels.join(', ')})`);
      }
      const imageOptions = { imageSize: config.imageSize, channels: config.channels };
      let disposed = false;
      return {
        labels: run.labels,
        costPerHourUsd: null,
        async predict(images) {
          if (disposed) throw new Error('the model was unloaded');
          if (images.length === 0) return [];
          const batch = await imageBytesToBatch(tf, images, imageOptions);
          // One model call for the whole batch.
          const probabilities = tf.tidy(() => model.predict(batch) as Tensor);
          batch.dispose();
          const values = await probabilities.data();
          probabilities.dispose();
          const k = run.labels.length;
          return images.map((_, row) => normalise(Array.from(values.subarray(row * k, (row + 1) * k))));
        },
        async unload() {
          // Nothing runs outside this process: final or not, freeing the tensors is all.
          if (disposed) return;
          disposed = true;
          model.dispose();
        },
      };
    },
  };
}

/** Softmax output in float32 sums to 1 only within ~1e-7; scores are promised to sum to 1. */
function normalise(scores: number[]): number[] {
  const sum = scores.reduce((a, b) => a + b, 0);
  return sum > 0 ? scores.map((s) => s / sum) : scores.map(() => 1 / scores.length);
}
