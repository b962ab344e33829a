import type { Logger } from 'pino';
import type { Services } from '../../services.js';
import { loadRekognitionConfig } from '../../trainers/rekognition/config.js';
import { createRekognitionTrainerJob } from '../../trainers/rekognition/rekognition-trainer-job.js';
import type { TrainingWorker } from './training-worker.js';

/**
 * Registers the trainers this machine is configured for beyond TFJS: the
 * Rekognition trainer when EPOCHAL_S3_BUCKET is set (an invalid AWS setting
 * stops the start, with the reason, rather than failing runs later). Then, in
 * the background, stops Custom Labels models a crash left running for runs that
 * are no longer RUNNING: they bill by the hour.
 */
export function registerConfiguredTrainers(worker: TrainingWorker, deps: { services: Services; log: Logger; env?: NodeJS.ProcessEnv }): void {
  const env = deps.env ?? process.env;
  if (!env.EPOCHAL_S3_BUCKET) {
    deps.log.info('REKOGNITION runs are not trained by this worker: EPOCHAL_S3_BUCKET is not set (see docs/rekognition.md)');
    return;
  }
  const job = createRekognitionTrainerJob({
    config: loadRekognitionConfig(env),
    onOutcome: (run, outcome) => deps.services.runs.recordOutputs(run.id, { ...outcome }),
  });
  worker.register('REKOGNITION', job);
  deps.log.info('REKOGNITION runs are trained by this worker');
  void job
    .sweepRunningModels({
      log: deps.log,
      isRunActive: async (runId) => (runId ? (await deps.services.runs.find(runId))?.status === 'RUNNING' : false),
    })
    .catch((error) => deps.log.warn({ err: error }, 'could not check for Rekognition models left running'));
}
