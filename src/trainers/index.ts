import type { Logger } from 'pino';
import type { Services } from '../domains.js';
import type { FileSettings } from '../kernel/domain-module.js';
import type { TrainerPlugin, TrainerRegistry } from '../training/worker/trainer-job.js';
import { rekognitionTrainer } from './rekognition/index.js';
import { tfjsTrainer } from './tfjs/index.js';

/**
 * Every trainer, once: the one place to touch to add one. The API reads it to
 * check startTraining's settings; each worker builds its jobs from it.
 */
export const trainerPlugins: readonly TrainerPlugin[] = [tfjsTrainer, rekognitionTrainer];

/** The jobs a worker on this machine can run; each trainer that can't says why in the log. */
export function trainerJobs(deps: { services: Services; log: Logger; files: FileSettings; env?: NodeJS.ProcessEnv }): TrainerRegistry {
  const env = deps.env ?? process.env;
  const jobs: TrainerRegistry = {};
  for (const plugin of trainerPlugins) {
    const job = plugin.createJob({ services: deps.services, log: deps.log, env, files: deps.files });
    if ('unavailable' in job) {
      deps.log.info(`${plugin.kind} runs are not trained by this worker: ${job.unavailable}`);
      continue;
    }
    jobs[plugin.kind] = job;
    deps.log.info(`${plugin.kind} runs are trained by this worker`);
  }
  return jobs;
}
