import type { TrainerPlugin } from '../../training/worker/trainer-job.js';
import { tfjsConfigSchema } from './tfjs-config.js';
import { createTfjsTrainerJob } from './tfjs-trainer-job.js';
import { nativeEngineHint } from './engine/select-engine.js';

/** TensorFlow.js on this machine's fastest engine (src/trainers/tfjs/engine/select-engine.ts): every worker has it. */
export const tfjsTrainer: TrainerPlugin = {
  kind: 'TFJS',
  inputField: 'tfjs',
  configSchema: tfjsConfigSchema,
  createJob: ({ log, env }) => {
    const hint = nativeEngineHint(env);
    if (hint) log.warn(hint);
    return createTfjsTrainerJob();
  },
};
