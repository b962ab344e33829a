import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import type { RunRecord } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import { rekognitionConfigSchema } from './run-settings.js';
import { createAwsClients, type AwsClients } from './aws-clients.js';
import { callAws, pollUntilFinal, realSleep, type CallPolicy, type Sleep } from './aws-call.js';
import { explainTrainingFailure, RekognitionCancelledError, RekognitionTrainerError } from './aws-errors.js';
import type { RekognitionConfig } from './config.js';
import { parseEvaluationSummary, type ParsedEvaluationSummary } from './evaluation-summary.js';
import { uploadImages, type UploadedImage } from './image-upload.js';
import { evaluateWithInference } from './inference-evaluation.js';
import { buildManifest } from './manifest.js';
import { createVersion, describeVersion, stopVersion, sweepManagedModels, type SweptModel } from './model-version.js';
import { createDataset, ensureProject, waitForDataset, type RekognitionSession } from './project-datasets.js';

/** Metric keys this trainer writes (step 0 unless said otherwise). */
export const REKOGNITION_METRICS = {
  /** Seconds since training started; step = poll number, one point per status poll. */
  elapsedSeconds: 'rekognition_elapsed_seconds',
  billableTrainingSeconds: 'rekognition_billable_training_seconds',
  estimatedCostUsd: 'rekognition_estimated_cost_usd',
  inferenceSeconds: 'rekognition_inference_seconds',
  imagesUploaded: 'rekognition_images_uploaded',
  imagesSkipped: 'rekognition_images_skipped',
  f1Score: 'rekognition_f1_score',
  /** Per label, from the summary at Rekognition's own threshold: `<key>/<label>`. */
  labelPrecision: 'rekognition_label_precision',
  labelRecall: 'rekognition_label_recall',
  labelF1: 'rekognition_label_f1',
  labelThreshold: 'rekognition_label_threshold',
} as const;

/** What this trainer needs of the worker's TrainerContext (a structural subset of it). */
export interface RekognitionTrainerContext {
  run: RunRecord;
  images: readonly { uri: string; label: string; split: string }[];
  services: Pick<Services, 'metrics' | 'evaluations' | 'artifacts'> & { runs: Pick<Services['runs'], 'note'> };
  signal?: AbortSignal;
  isCancelled(): boolean | Promise<boolean>;
  workDir: string;
  log: Logger;
}

export interface RekognitionOutcome {
  projectName: string;
  projectArn: string;
  versionName: string;
  versionArn: string;
  billableTrainingSeconds: number | null;
  inferenceSeconds: number;
  estimatedCostUsd: number;
  f1Score: number | null;
  summaryUri: string | null;
  /** Evaluation.source as stored; null when no evaluation could be stored. */
  evaluationSource: string | null;
  images: { uploaded: number; skipped: number };
}

export interface RekognitionTrainerDeps {
  config: RekognitionConfig;
  /** Default: createAwsClients(config). */
  clients?: AwsClients;
  sleep?: Sleep;
  now?: () => number;
  /** Called with each successful run's outcome (e.g. to put cost and ARNs on the run once the core has a place). */
  onOutcome?: (run: RunRecord, outcome: RekognitionOutcome) => void | Promise<void>;
}

export interface RekognitionTrainerJob {
  engine(run?: RunRecord): Promise<{ name: string; gpuName: string | null }>;
  /** The worker's entry point (TrainerJob.run): trains, records, resolves when done. */
  run(ctx: RekognitionTrainerContext): Promise<void>;
  /** The same, answering what it did: ARNs, billable time, estimated cost, evaluation source. */
  train(ctx: RekognitionTrainerContext): Promise<RekognitionOutcome>;
  describeError(error: unknown, run?: RunRecord): string;
  /** For the worker's start: stops Epochal's models a crash left STARTING/RUNNING. */
  sweepRunningModels(options: SweepOptions): Promise<SweptModel[]>;
}

export interface SweepOptions {
  log: Logger;
  /**
   * Whether the model of this run should keep running. Default: never: right
   * for a single worker at its start, when none of its own jobs is in flight.
   * With several workers, pass one that answers true for runs still RUNNING.
   */
  isRunActive?: (runId: string | null) => boolean | Promise<boolean>;
}

const MAX_ERROR_LENGTH = 2_000;

/** The REKOGNITION trainer: one Custom Labels training per run, evaluated on the run's TEST split. */
export function createRekognitionTrainerJob(deps: RekognitionTrainerDeps): RekognitionTrainerJob {
  let clients = deps.clients ?? null;
  const getClients = () => (clients ??= createAwsClients(deps.config));
  return {
    async engine() {
      return { name: 'rekognition', gpuName: null };
    },
    train: (ctx) => trainOnRekognition({ ...deps, clients: getClients() }, ctx),
    async run(ctx) {
      const outcome = await trainOnRekognition({ ...deps, clients: getClients() }, ctx);
      await deps.onOutcome?.(ctx.run, outcome);
    },
    describeError(error) {
      const message = error instanceof Error ? error.message || error.name : String(error);
      return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
    },
    async sweepRunningModels(options) {
      const session = sessionFor({ ...deps, clients: getClients() }, options.log, () => false);
      const swept = await sweepManagedModels(session, async (runId) => !(await (options.isRunActive?.(runId) ?? false)));
      if (swept.length) options.log.warn({ swept }, `found ${swept.length} Epochal model(s) left running; stopped ${swept.filter((s) => s.stopped).length}`);
      return swept;
    },
  };
}

function sessionFor(deps: RekognitionTrainerDeps & { clients: AwsClients }, log: Logger, isCancelled: () => boolean | Promise<boolean>): RekognitionSession {
  const { config } = deps;
  const policy: CallPolicy = {
    bucket: config.bucket,
    region: config.region,
    retries: config.throttleRetries,
    baseDelayMs: Math.min(config.pollMs, 1_000),
    maxDelayMs: config.maxPollMs,
    sleep: deps.sleep ?? realSleep,
    log,
    isCancelled,
  };
  return { client: deps.clients.rekognition, policy, log, pollMs: config.pollMs, maxPollMs: config.maxPollMs };
}

/** The run's stored configuration, checked again (stored JSON is not trusted), with names derived where empty. */
export function rekognitionSettingsOf(run: RunRecord) {
  const parsed = rekognitionConfigSchema.safeParse((run.config as { rekognition?: unknown }).rekognition ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'rekognition'}: ${i.message}`).join('; ');
    throw new RekognitionTrainerError(`run ${run.id} has an invalid REKOGNITION configuration (${problems}); start a new run`);
  }
  const settings = parsed.data;
  return {
    projectName: settings.projectName ?? `epochal-${run.datasetId ?? run.id}`,
    versionName: settings.versionName ?? `run-${run.id}`,
    evaluateWithInference: settings.evaluateWithInference,
    minInferenceUnits: settings.minInferenceUnits,
  };
}

async function trainOnRekognition(deps: RekognitionTrainerDeps & { clients: AwsClients }, ctx: RekognitionTrainerContext): Promise<RekognitionOutcome> {
  const { config } = deps;
  const { run, services, log } = ctx;
  const now = deps.now ?? Date.now;
  const isCancelled = async () => ctx.signal?.aborted === true || (await ctx.isCancelled());
  const session = sessionFor(deps, log, isCancelled);
  const settings = rekognitionSettingsOf(run);
  const throwIfCancelled = async () => {
    if (await isCancelled()) throw new RekognitionCancelledError();
  };
  // A write refused because the run left RUNNING means it was cancelled (or swept): say so.
  const record = async (points: { key: string; step: number; value: number }[]) => {
    try {
      await services.metrics.logMetrics(run.id, points);
    } catch (error) {
      if (await isCancelled()) throw new RekognitionCancelledError();
      throw error;
    }
  };

  // Rekognition has TRAIN and TEST only: VALIDATION images train too (it holds out its own).
  const labels = [...new Set(ctx.images.map((i) => i.label))].sort();
  const forTraining = ctx.images.filter((i) => i.split === 'TRAIN' || i.split === 'VALIDATION');
  const forTesting = ctx.images.filter((i) => i.split === 'TEST');
  if (forTraining.length === 0 || forTesting.length === 0) {
    throw new RekognitionTrainerError(`the dataset needs TRAIN and TEST images for Rekognition; it has ${forTraining.length} for training and ${forTesting.length} for testing`);
  }
  log.info({ projectName: settings.projectName, versionName: settings.versionName, train: forTraining.length, test: forTesting.length, labels }, 'Rekognition training starts');

  // 1. Images (once per content) and one Ground Truth manifest per split.
  const upload = await uploadImages([...forTraining, ...forTesting], {
    s3: deps.clients.s3,
    bucket: config.bucket,
    prefix: config.prefix,
    policy: session.policy,
  });
  await throwIfCancelled();
  log.info({ uploaded: upload.uploaded, skipped: upload.skipped, bytes: upload.bytesUploaded }, 'images are in S3');
  await record([
    { key: REKOGNITION_METRICS.imagesUploaded, step: 0, value: upload.uploaded },
    { key: REKOGNITION_METRICS.imagesSkipped, step: 0, value: upload.skipped },
  ]);
  const uploadedTrain = upload.images.slice(0, forTraining.length);
  const uploadedTest = upload.images.slice(forTraining.length);
  const manifests: Record<'TRAIN' | 'TEST', { bucket: string; key: string }> = {
    TRAIN: await writeManifest(deps, session, run, 'TRAIN', uploadedTrain, labels, log),
    TEST: await writeManifest(deps, session, run, 'TEST', uploadedTest, labels, log),
  };
  for (const manifest of Object.values(manifests)) {
    await services.artifacts.upsert({ runId: run.id, kind: 'rekognition-manifest', uri: `s3://${manifest.bucket}/${manifest.key}`, bytes: 0 });
  }

  // 2. Project and datasets.
  await throwIfCancelled();
  const project = await ensureProject(session, settings.projectName);
  for (const type of ['TRAIN', 'TEST'] as const) {
    const datasetArn = await createDataset(session, { arn: project.arn, name: settings.projectName, datasets: project.datasets }, type, manifests[type], isCancelled);
    await waitForDataset(session, datasetArn, type, {
      isCancelled,
      onStatus: (status, d) => {
        log.info({ datasetArn, type, status, statusMessage: d.StatusMessage, stats: d.DatasetStats }, `${type} dataset: ${status}`);
        void services.runs.note(run.id, `${type} dataset: ${status}${d.StatusMessage ? `: ${d.StatusMessage}` : ''}`).catch(() => undefined);
      },
    });
  }

  // 3. Training, polled with backoff; each status change is logged, each poll an elapsed-time point.
  await throwIfCancelled();
  const version = await createVersion(session, {
    projectArn: project.arn,
    versionName: settings.versionName,
    bucket: config.bucket,
    outputPrefix: `${config.prefix}output/`,
    runId: run.id,
  });
  await services.artifacts.upsert({ runId: run.id, kind: 'rekognition-model', uri: version.arn, bytes: 0 });
  const trainingStarted = now();
  let lastStatus: string | undefined;
  let trained: Awaited<ReturnType<typeof describeVersion>> & object;
  try {
    trained = await pollUntilFinal({
      what: 'the training',
      describe: async () => (await describeVersion(session, project.arn, settings.versionName)) ?? {},
      status: (v) => v.Status ?? 'UNKNOWN',
      isFinal: (s) => s !== 'TRAINING_IN_PROGRESS' && s !== 'UNKNOWN' && s !== 'STOPPING',
      onStatus: (status, v) => {
        lastStatus = status;
        log.info({ versionArn: version.arn, status, statusMessage: v.StatusMessage }, `Rekognition model: ${status}${v.StatusMessage ? ` (${v.StatusMessage})` : ''}`);
        void services.runs.note(run.id, `model ${status}${v.StatusMessage ? `: ${v.StatusMessage}` : ''}`).catch(() => undefined);
      },
      onPoll: (poll) => record([{ key: REKOGNITION_METRICS.elapsedSeconds, step: poll, value: (now() - trainingStarted) / 1000 }]),
      isCancelled,
      intervalMs: config.pollMs,
      maxIntervalMs: config.maxPollMs,
      sleep: session.policy.sleep,
      now,
    });
  } catch (error) {
    // Cancelled (seen by a poll or by a refused metric write): stop what bills, a training in progress.
    if (error instanceof RekognitionCancelledError && (lastStatus === undefined || lastStatus === 'TRAINING_IN_PROGRESS' || lastStatus === 'STARTING' || lastStatus === 'RUNNING')) {
      await stopVersion(session, version.arn, 'the run was cancelled').catch((stopError: Error) =>
        log.error({ err: stopError, versionArn: version.arn }, `could not stop the training after the cancellation: ${stopError.message}`),
      );
    }
    throw error;
  }
  if (trained.Status === 'TRAINING_FAILED') throw new RekognitionTrainerError(explainTrainingFailure(trained.StatusMessage, config), 'TRAINING_FAILED');
  if (trained.Status !== 'TRAINING_COMPLETED' && trained.Status !== 'STOPPED' && trained.Status !== 'RUNNING') {
    throw new RekognitionTrainerError(
      `the model version ended training as ${trained.Status}${trained.StatusMessage ? `: ${trained.StatusMessage}` : ''}. What to check: the model in the Custom Labels console.`,
      trained.Status ?? null,
    );
  }

  // 4. The summary, billable time and cost.
  const billable = trained.BillableTrainingTimeInSeconds ?? null;
  const summaryObject = trained.EvaluationResult?.Summary?.S3Object;
  let summary: ParsedEvaluationSummary | null = null;
  let summaryUri: string | null = null;
  if (summaryObject?.Bucket && summaryObject.Name) {
    summaryUri = `s3://${summaryObject.Bucket}/${summaryObject.Name}`;
    const text = await callAws(session.policy, 'GetObject', `reading the evaluation summary ${summaryUri}`, async () => {
      const object = await deps.clients.s3.send(new GetObjectCommand({ Bucket: summaryObject.Bucket, Key: summaryObject.Name }));
      return object.Body!.transformToString();
    });
    try {
      summary = parseEvaluationSummary(text, labels);
    } catch (error) {
      throw new RekognitionTrainerError(`${(error as Error).message} (${summaryUri}). What to check: the file Rekognition wrote; the model itself trained.`);
    }
    await services.artifacts.upsert({ runId: run.id, kind: 'rekognition-evaluation-summary', uri: summaryUri, bytes: Buffer.byteLength(text) });
  } else {
    log.warn({ versionArn: version.arn }, 'the model has no EvaluationResult.Summary: no evaluation from the summary');
  }
  const f1Score = summary?.aggregate.f1 ?? trained.EvaluationResult?.F1Score ?? null;
  await record(summaryMetrics(summary, f1Score, billable));

  let evaluationSource: string | null = null;
  if (summary?.confusionMatrix) {
    evaluationSource = summary.scaledFromFractions
      ? `Amazon Rekognition evaluation summary (${summaryUri}): its confusion matrix holds fractions of each label's TEST images; these counts are fraction × NumberOfTestingImages, rounded. Rekognition's own per-label precision/recall/F1 (at its thresholds) are the ${REKOGNITION_METRICS.labelF1}/<label> metrics.`
      : `Amazon Rekognition evaluation summary (${summaryUri}): counts as given in the file.`;
    await services.evaluations.record(run.id, { labels: summary.labels, confusionMatrix: summary.confusionMatrix }, evaluationSource);
  }

  // 5. Optional exact evaluation: the model classifies every TEST image, then is stopped.
  let inferenceSeconds = 0;
  if (settings.evaluateWithInference) {
    await throwIfCancelled();
    const exact = await evaluateWithInference(session, {
      projectArn: project.arn,
      versionName: settings.versionName,
      versionArn: version.arn,
      minInferenceUnits: settings.minInferenceUnits,
      bucket: config.bucket,
      labels,
      testImages: uploadedTest,
      isCancelled,
      onStatus: (status) => {
        log.info({ versionArn: version.arn, status }, `Rekognition model: ${status}`);
        void services.runs.note(run.id, `model ${status}`).catch(() => undefined);
      },
      now,
    });
    inferenceSeconds = exact.runningSeconds;
    evaluationSource =
      `Amazon Rekognition DetectCustomLabels on the ${exact.images} TEST images with ${version.arn}: exact counts of each image's top label` +
      (exact.classified < exact.images ? ` (${exact.classified} distinct contents classified once each)` : '') +
      (exact.unlabelled ? `; ${exact.unlabelled} image(s) got no label and are not counted` : '') + '.';
    await services.evaluations.record(run.id, { labels: exact.labels, confusionMatrix: exact.confusionMatrix }, evaluationSource);
  }

  const estimatedCostUsd = estimateCostUsd(config, billable, inferenceSeconds, settings.minInferenceUnits);
  await record([
    { key: REKOGNITION_METRICS.inferenceSeconds, step: 0, value: inferenceSeconds },
    { key: REKOGNITION_METRICS.estimatedCostUsd, step: 0, value: estimatedCostUsd },
  ]);
  log.info({ billableTrainingSeconds: billable, inferenceSeconds, estimatedCostUsd, f1Score }, 'Rekognition training done');
  return {
    projectName: settings.projectName,
    projectArn: project.arn,
    versionName: settings.versionName,
    versionArn: version.arn,
    billableTrainingSeconds: billable,
    inferenceSeconds,
    estimatedCostUsd,
    f1Score,
    summaryUri,
    evaluationSource,
    images: { uploaded: upload.uploaded, skipped: upload.skipped },
  };
}

/** USD: billable training hours at the training price, plus inference-unit hours while the model ran. */
export function estimateCostUsd(config: Pick<RekognitionConfig, 'trainingUsdPerHour' | 'inferenceUsdPerUnitHour'>, billableTrainingSeconds: number | null, inferenceSeconds: number, inferenceUnits: number): number {
  const training = ((billableTrainingSeconds ?? 0) / 3600) * config.trainingUsdPerHour;
  const inference = (inferenceSeconds / 3600) * inferenceUnits * config.inferenceUsdPerUnitHour;
  return Math.round((training + inference) * 10_000) / 10_000;
}

function summaryMetrics(summary: ParsedEvaluationSummary | null, f1Score: number | null, billable: number | null) {
  const points: { key: string; step: number; value: number }[] = [];
  if (billable !== null) points.push({ key: REKOGNITION_METRICS.billableTrainingSeconds, step: 0, value: billable });
  if (f1Score !== null) points.push({ key: REKOGNITION_METRICS.f1Score, step: 0, value: f1Score });
  for (const label of summary?.perLabel ?? []) {
    const add = (key: string, value: number | null) => value !== null && points.push({ key: `${key}/${label.label}`, step: 0, value });
    add(REKOGNITION_METRICS.labelPrecision, label.precision);
    add(REKOGNITION_METRICS.labelRecall, label.recall);
    add(REKOGNITION_METRICS.labelF1, label.f1);
    add(REKOGNITION_METRICS.labelThreshold, label.threshold);
  }
  return points;
}

async function writeManifest(
  deps: RekognitionTrainerDeps & { clients: AwsClients },
  session: RekognitionSession,
  run: RunRecord,
  split: 'TRAIN' | 'TEST',
  images: UploadedImage[],
  labels: string[],
  log: Logger,
): Promise<{ bucket: string; key: string }> {
  const manifest = buildManifest(images, labels, new Date());
  if (manifest.duplicates.length) {
    log.warn({ split, duplicates: manifest.duplicates.slice(0, 20), count: manifest.duplicates.length }, `${manifest.duplicates.length} ${split} image(s) repeat another's bytes; each content is listed once`);
  }
  const key = `${deps.config.prefix}manifests/${run.id}/${split.toLowerCase()}.manifest`;
  await callAws(session.policy, 'PutObject', `writing the ${split} manifest to s3://${deps.config.bucket}/${key}`, () =>
    deps.clients.s3.send(new PutObjectCommand({ Bucket: deps.config.bucket, Key: key, Body: manifest.body, ContentType: 'application/x-ndjson' })),
  );
  return { bucket: deps.config.bucket, key };
}
