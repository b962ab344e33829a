import type { Logger } from 'pino';
import { z } from 'zod';
import type { ClaimedJob, EvaluationJob } from '../../kernel/job-queue.js';
import { isUuid } from '../../kernel/errors.js';
import type { Services } from '../../domains.js';
import type { TrainerRegistry } from './trainer-job.js';

const jobSchema = z.object({ evaluationId: z.string().refine(isUuid, 'evaluationId must be an id') });
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Evaluation jobs (evaluateRun, robustness arms): a worker classifies one dataset split with a
 * SUCCEEDED run's model, through the trainer that trained it, and stores the confusion matrix.
 * Any failure marks the evaluation FAILED with the reason; the run is not touched.
 */
export async function handleEvaluationJob(job: ClaimedJob<EvaluationJob>, deps: { services: Services; trainers: TrainerRegistry; log: Logger; workerId: string }): Promise<void> {
  const { services, log } = deps;
  const payload = jobSchema.safeParse(job.data);
  if (!payload.success) {
    log.error({ jobId: job.id, data: job.data }, 'dropped an evaluation job without a valid evaluationId');
    return;
  }
  const { evaluationId } = payload.data;
  const evaluation = await services.modelEvaluations.start(evaluationId);
  if (!evaluation) return; // cancelled, or taken by another worker
  try {
    const run = await services.runs.require(evaluation.runId);
    const trainer = run.trainer === 'EXTERNAL' ? undefined : deps.trainers[run.trainer];
    if (!trainer?.evaluate) throw new Error(`worker ${deps.workerId} cannot evaluate ${run.trainer} models on other data`);
    const images = (await services.datasets.allImages(evaluation.datasetId)).filter((image) => image.split === evaluation.split);
    const result = await trainer.evaluate({ run, images, services, log: log.child({ runId: run.id, evaluationId }) });
    await services.modelEvaluations.complete(evaluationId, result);
    log.info({ runId: run.id, evaluationId, images: images.length }, `evaluated run ${run.id} on dataset ${evaluation.datasetId} ${evaluation.split}`);
  } catch (error) {
    log.warn({ err: error, evaluationId }, `evaluation ${evaluationId} failed`);
    await services.modelEvaluations.fail(evaluationId, messageOf(error));
  }
}
