import type { TrainerPlugin } from '../../training/worker/trainer-job.js';
import { checkBaseModelPath, tfjsConfigSchema, type TfjsConfig } from './tfjs-config.js';
import { createTfjsTrainerJob } from './tfjs-trainer-job.js';
import { tfjsServing } from './tfjs-serving.js';

/** TensorFlow.js on this machine's fastest engine (src/trainers/tfjs/engine/select-engine.ts): every worker has it. */
export const tfjsTrainer: TrainerPlugin = {
  kind: 'TFJS',
  inputField: 'tfjs',
  configSchema: tfjsConfigSchema,
  checkFiles: async (config, files) => {
    await checkBaseModelPath(config as TfjsConfig, files);
  },
  createJob: ({ files }) => createTfjsTrainerJob({ files }),
  serving: () => tfjsServing(),
};
