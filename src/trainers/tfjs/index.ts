import type { TrainerPlugin } from '../../training/worker/trainer-job.js';
import { checkBaseModelPath, tfjsConfigSchema, type TfjsConfig } from './tfjs-config.js';
import { probeEngineName } from './engine/select-engine.js';
import { createTfjsTrainerJob } from './tfjs-trainer-job.js';
import { tfjsServing } from './tfjs-serving.js';
import { nativeEngineHint } from './engine/select-engine.js';

/** TensorFlow.js on this machine's fastest engine (src/trainers/tfjs/engine/select-engine.ts): every worker has it. */
export const tfjsTrainer: TrainerPlugin = {
  kind: 'TFJS',
  inputField: 'tfjs',
  configSchema: tfjsConfigSchema,
  checkFiles: async (config, files) => {
    await checkBaseModelPath(config as TfjsConfig, files);
  },
  createJob: ({ files, log, env }) => {
    const hint = nativeEngineHint(env);
    if (hint) log.warn(hint);
    return createTfjsTrainerJob({ files });
  },
  serving: () => tfjsServing(),
  probeEngine: (env) => probeEngineName(env),
};
