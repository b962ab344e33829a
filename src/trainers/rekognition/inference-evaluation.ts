import { DetectCustomLabelsCommand } from '@aws-sdk/client-rekognition';
import { RekognitionCancelledError, RekognitionTrainerError } from './aws-errors.js';
import { callAws, pollUntilFinal } from './aws-call.js';
import type { UploadedImage } from './image-upload.js';
import { describeVersion, startVersion, stopVersion } from './model-version.js';
import type { RekognitionSession } from './project-datasets.js';

export interface InferenceEvaluation {
  labels: string[];
  /** Exact counts: rows true label, columns predicted. */
  confusionMatrix: number[][];
  /** Every TEST image, byte-identical ones each counted (the TEST split's size). */
  images: number;
  /** How many distinct contents were classified (one DetectCustomLabels call each). */
  classified: number;
  /** TEST images for which the model returned no label at all (counted nowhere in the matrix). */
  unlabelled: number;
  /** From StartProjectVersion to StopProjectVersion, as measured here: what inference bills. */
  runningSeconds: number;
}

export interface InferenceOptions {
  projectArn: string;
  versionName: string;
  versionArn: string;
  minInferenceUnits: number;
  bucket: string;
  labels: readonly string[];
  /** Every TEST image; images sharing bytes (one S3 key) are classified once and each counted with its own label. */
  testImages: readonly UploadedImage[];
  isCancelled: () => boolean | Promise<boolean>;
  onStatus?: (status: string, elapsedMs: number) => void | Promise<void>;
  now?: () => number;
}

/**
 * Starts the model, classifies every TEST image (the top label, every label's
 * score asked for with MinConfidence 0), and stops the model whatever happens:
 * a failed call, a cancellation, or a model that never became RUNNING.
 */
export async function evaluateWithInference(session: RekognitionSession, options: InferenceOptions): Promise<InferenceEvaluation> {
  const now = options.now ?? Date.now;
  const index = new Map(options.labels.map((l, i) => [l, i]));
  const matrix = options.labels.map(() => options.labels.map(() => 0));
  let unlabelled = 0;
  let classified = 0;
  const startedAt = now();
  let started = false;
  let primary: unknown = null;
  try {
    // Set first: a start whose answer was lost (a timeout) may still have started the model.
    started = true;
    await startVersion(session, options.versionArn, options.minInferenceUnits);
    const running = await pollUntilFinal({
      what: 'the model starting',
      describe: async () => (await describeVersion(session, options.projectArn, options.versionName)) ?? {},
      status: (v) => v.Status ?? 'UNKNOWN',
      isFinal: (s) => s === 'RUNNING' || s === 'FAILED' || s === 'STOPPED' || s === 'TRAINING_FAILED',
      onStatus: (status, _v, elapsed) => options.onStatus?.(status, elapsed),
      isCancelled: options.isCancelled,
      intervalMs: session.pollMs,
      maxIntervalMs: session.maxPollMs,
      sleep: session.policy.sleep,
    });
    if (running.Status !== 'RUNNING') {
      throw new RekognitionTrainerError(
        `the model did not start for the inference evaluation: it is ${running.Status}${running.StatusMessage ? ` (${running.StatusMessage})` : ''}. What to check: the running-models quota in your region, and that minInferenceUnits (${options.minInferenceUnits}) is allowed.`,
        running.Status ?? null,
      );
    }
    // One call per content: byte-identical images share an S3 key and so an answer.
    const topLabelByKey = new Map<string, string | undefined>();
    for (const image of options.testImages) {
      if (topLabelByKey.has(image.key)) continue;
      if (await options.isCancelled()) throw new RekognitionCancelledError();
      const answer = await callAws(session.policy, 'DetectCustomLabels', `classifying the TEST image ${image.uri}`, () =>
        session.client.send(
          new DetectCustomLabelsCommand({
            ProjectVersionArn: options.versionArn,
            Image: { S3Object: { Bucket: options.bucket, Name: image.key } },
            MinConfidence: 0,
          }),
        ),
      );
      const top = [...(answer.CustomLabels ?? [])].filter((l) => l.Name !== undefined).sort((a, b) => (b.Confidence ?? 0) - (a.Confidence ?? 0))[0];
      topLabelByKey.set(image.key, top?.Name);
    }
    // Every image counts, each under its own true label (copies may even disagree on it).
    for (const image of options.testImages) {
      const row = index.get(image.label);
      const predicted = topLabelByKey.get(image.key);
      const column = predicted !== undefined ? index.get(predicted) : undefined;
      if (row === undefined) continue;
      if (column === undefined) unlabelled++;
      else matrix[row][column]++;
    }
    classified = topLabelByKey.size;
  } catch (error) {
    primary = error;
    throw error;
  } finally {
    if (started) {
      try {
        await stopVersion(session, options.versionArn, primary ? 'the inference evaluation ended early' : 'the inference evaluation is done');
      } catch (stopError) {
        const message = `could not stop the model ${options.versionArn} after the inference evaluation: ${(stopError as Error).message} It bills every hour while running: stop it in the AWS console (Custom Labels > Models).`;
        session.log.error({ versionArn: options.versionArn, err: stopError }, message);
        // The first failure stays the run's error; a lone stop failure must not pass silently.
        if (!primary) throw new RekognitionTrainerError(message, 'StopFailed', { cause: stopError });
      }
    }
  }
  return {
    labels: [...options.labels],
    confusionMatrix: matrix,
    images: options.testImages.length,
    classified,
    unlabelled,
    runningSeconds: (now() - startedAt) / 1000,
  };
}
