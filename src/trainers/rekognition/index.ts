import type { TrainerPlugin } from '../../training/worker/trainer-job.js';
import { loadRekognitionConfig } from './config.js';
import { createRekognitionTrainerJob } from './rekognition-trainer-job.js';
import { rekognitionConfigSchema } from './run-settings.js';
import { estimateRekognitionRunCostUsd } from './run-cost.js';
import { rekognitionServing } from './rekognition-serving.js';
import type { ModelServing } from '../../kernel/model-serving.js';

let serving: ModelServing | null = null;

/**
 * Amazon Rekognition Custom Labels, on workers with EPOCHAL_S3_BUCKET set (an
 * invalid AWS setting stops the start, with the reason, rather than failing
 * runs later). Once created, it stops in the background the Custom Labels
 * models a crash left running for runs that are no longer RUNNING: they bill by
 * the hour.
 */
export const rekognitionTrainer: TrainerPlugin = {
  kind: 'REKOGNITION',
  inputField: 'rekognition',
  configSchema: rekognitionConfigSchema,
  estimateRunCostUsd: (settings) => estimateRekognitionRunCostUsd(settings),
  serving({ env, log }) {
    if (!env.EPOCHAL_S3_BUCKET) return { unavailable: 'EPOCHAL_S3_BUCKET is not set (see docs/rekognition.md)' };
    // One set of AWS clients per process.
    return (serving ??= rekognitionServing({ config: loadRekognitionConfig(env), log }));
  },
  unavailableReason: (env) => (env.EPOCHAL_S3_BUCKET ? null : 'EPOCHAL_S3_BUCKET is not set: Rekognition trains from images in S3 (see docs/rekognition.md)'),
  createJob({ services, log, env }) {
    const unavailable = rekognitionTrainer.unavailableReason!(env);
    if (unavailable) return { unavailable };
    const job = createRekognitionTrainerJob({
      config: loadRekognitionConfig(env),
      onOutcome: (run, outcome) => services.runs.recordOutputs(run.id, { ...outcome }),
    });
    void job
      .sweepRunningModels({
        log,
        // A deployed model runs on purpose: only models of runs neither training nor deployed are stopped.
        isRunActive: async (runId) => (runId ? services.deployments.isInUse(runId) : false),
      })
      .catch((error) => log.warn({ err: error }, 'could not check for Rekognition models left running'));
    return job;
  },
};
