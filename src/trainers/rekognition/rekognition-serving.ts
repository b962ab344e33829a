import { DetectCustomLabelsCommand } from '@aws-sdk/client-rekognition';
import type { Logger } from 'pino';
import type { LoadedModel, ModelServing, ServedRun } from '../../kernel/model-serving.js';
import { callAws, pollUntilFinal } from './aws-call.js';
import { createAwsClients, type AwsClients } from './aws-clients.js';
import { RekognitionTrainerError } from './aws-errors.js';
import type { RekognitionConfig } from './config.js';
import { describeVersion, startVersion, stopVersion, sweepManagedModels } from './model-version.js';
import { sessionFor } from './rekognition-trainer-job.js';
import { rekognitionConfigSchema } from './run-settings.js';

/** DetectCustomLabels calls in flight per predict: Rekognition classifies one image per call. */
const DETECT_CONCURRENCY = 4;
/** DetectCustomLabels takes inline images up to 4 MB. */
const MAX_INLINE_BYTES = 4 * 1024 * 1024;

interface ModelIds {
  projectArn: string;
  versionName: string;
  versionArn: string;
  minInferenceUnits: number;
}

/** The model version a REKOGNITION run trained (Run.outputs) and the inference units its settings ask for. */
function modelOf(run: ServedRun): ModelIds {
  const outputs = (run.outputs ?? {}) as Partial<Record<'projectArn' | 'versionName' | 'versionArn', unknown>>;
  if (typeof outputs.projectArn !== 'string' || typeof outputs.versionArn !== 'string' || typeof outputs.versionName !== 'string') {
    throw new RekognitionTrainerError(`run ${run.id} has no Rekognition model version in its outputs (projectArn, versionName, versionArn); it cannot be deployed`);
  }
  const settings = rekognitionConfigSchema.safeParse((run.config as { rekognition?: unknown }).rekognition ?? {});
  return { projectArn: outputs.projectArn, versionName: outputs.versionName, versionArn: outputs.versionArn, minInferenceUnits: settings.success ? settings.data.minInferenceUnits : 1 };
}

/**
 * A REKOGNITION run's model version, started with the run's minInferenceUnits
 * (STARTING until RUNNING), asked with DetectCustomLabels, and stopped when
 * the deployment ends, in every outcome (a start that never reaches RUNNING
 * is stopped too). A model bills per inference-unit hour while it runs.
 */
export function rekognitionServing(deps: { config: RekognitionConfig; clients?: AwsClients; log: Logger }): ModelServing {
  let clients = deps.clients ?? null;
  const session = () => sessionFor({ config: deps.config, clients: (clients ??= createAwsClients(deps.config)) }, deps.log, () => false);
  const stop = async (ids: ModelIds, why: string) => {
    const s = session();
    const current = await describeVersion(s, ids.projectArn, ids.versionName);
    if (current && ['STARTING', 'RUNNING'].includes(current.Status ?? '')) await stopVersion(s, ids.versionArn, why);
  };

  return {
    async load(run) {
      const ids = modelOf(run);
      const s = session();
      let running = false;
      try {
        const until = (what: string, waiting: readonly string[]) => pollUntilFinal({
          what,
          describe: async () => (await describeVersion(s, ids.projectArn, ids.versionName)) ?? {},
          status: (v) => v.Status ?? 'UNKNOWN',
          isFinal: (status) => !waiting.includes(status),
          isCancelled: () => false,
          intervalMs: s.pollMs,
          maxIntervalMs: s.maxPollMs,
          sleep: s.policy.sleep,
        });
        // A stop still under way (an undeploy just before) must end before the model can start again.
        const current = await until('the model stopping', ['STOPPING']);
        // Already RUNNING or STARTING: another API process or a restart of this one; it is the same deployment's model.
        if (!['RUNNING', 'STARTING'].includes(current.Status ?? '')) await startVersion(s, ids.versionArn, ids.minInferenceUnits);
        const final = await until('the model starting', ['STARTING', 'UNKNOWN']);
        if (final.Status !== 'RUNNING') {
          throw new RekognitionTrainerError(`the model did not start: it is ${final.Status}${final.StatusMessage ? ` (${final.StatusMessage})` : ''}. What to check: the running-models quota in your region, and minInferenceUnits (${ids.minInferenceUnits}).`);
        }
        running = true;
      } finally {
        if (!running) await stop(ids, 'the deployment could not start').catch((error) => deps.log.error({ err: error, versionArn: ids.versionArn }, 'could not stop a model that failed to start'));
      }
      return loaded(run, ids);
    },
    async stop(run) {
      await stop(modelOf(run), 'undeployed');
    },
    async sweep(keep) {
      const swept = await sweepManagedModels(session(), async (runId) => !(await keep(runId)));
      if (swept.length) deps.log.warn({ swept }, `found ${swept.length} Epochal model(s) running; stopped ${swept.filter((m) => m.stopped).length} that no deployment or training uses`);
    },
  };

  function loaded(run: ServedRun, ids: ModelIds): LoadedModel {
    const index = new Map(run.labels.map((label, i) => [label, i]));
    const detect = async (bytes: Buffer): Promise<number[]> => {
      if (bytes.length > MAX_INLINE_BYTES) throw new RekognitionTrainerError(`an image of ${bytes.length} bytes is over the 4 MB DetectCustomLabels takes inline`);
      const answer = await callAws(session().policy, 'DetectCustomLabels', 'classifying an image', () =>
        (clients ??= createAwsClients(deps.config)).rekognition.send(new DetectCustomLabelsCommand({ ProjectVersionArn: ids.versionArn, Image: { Bytes: bytes }, MinConfidence: 0 })));
      const scores = run.labels.map(() => 0);
      for (const label of answer.CustomLabels ?? []) {
        const i = label.Name === undefined ? undefined : index.get(label.Name);
        if (i !== undefined) scores[i] = Math.max(0, label.Confidence ?? 0);
      }
      // Confidences are independent per label (0-100); scores are promised as shares that sum to 1.
      const sum = scores.reduce((a, b) => a + b, 0);
      return sum > 0 ? scores.map((v) => v / sum) : scores.map(() => 1 / scores.length);
    };
    return {
      labels: run.labels,
      costPerHourUsd: ids.minInferenceUnits * deps.config.inferenceUsdPerUnitHour,
      async predict(images) {
        const out: number[][] = new Array(images.length);
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(DETECT_CONCURRENCY, images.length) }, async () => {
          while (next < images.length) {
            const i = next++;
            out[i] = await detect(images[i]);
          }
        }));
        return out;
      },
      async unload({ final }) {
        if (final) await stop(ids, 'undeployed');
      },
    };
  }
}
