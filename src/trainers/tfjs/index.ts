import type { TrainerPlugin } from '../../training/worker/trainer-job.js';
import { probeEngineName } from './engine/select-engine.js';
import { tfjsConfigSchema } from './tfjs-config.js';
import { createTfjsTrainerJob } from './tfjs-trainer-job.js';

/** TensorFlow.js on this machine's fastest engine (src/trainers/tfjs/engine/select-engine.ts): every worker has it. */
export const tfjsTrainer: TrainerPlugin = {
  kind: 'TFJS',
  inputField: 'tfjs',
  configSchema: tfjsConfigSchema,
  probeEngine: (env) => probeEngineName(env),
  createJob: () => createTfjsTrainerJob(),
};
