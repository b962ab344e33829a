import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import type { RunRecord } from '../../runs/run.record.js';
import type { AwsClients } from './aws-clients.js';
import { callAws, pollUntilFinal } from './aws-call.js';
import { explainTrainingFailure, RekognitionCancelledError, RekognitionTrainerError } from './aws-errors.js';
import { parseEvaluationSummary, type ParsedEvaluationSummary } from './evaluation-summary.js';
import { uploadImages, type UploadedImage } from './image-upload.js';
import { evaluateWithInference } from './inference-evaluation.js';
import { buildManifest } from './manifest.js';
import { createVersion, describeVersion, stopVersion } from './model-version.js';
import { createDataset, ensureProject, waitForDataset, type RekognitionSession } from './project-datasets.js';
import {
  estimateCostUsd, REKOGNITION_METRICS, rekognitionSettingsOf, sessionFor,
  type RekognitionOutcome, type RekognitionTrainerContext, type RekognitionTrainerDeps,
} from './rekognition-trainer-job.js';

type Deps = RekognitionTrainerDeps & { clients: AwsClients };
type Point = { key: string; step: number; value: number };
type Manifests = Record<'TRAIN' | 'TEST', { bucket: string; key: string }>;
type Project = Awaited<ReturnType<typeof ensureProject>>;
type TrainedVersion = NonNullable<Awaited<ReturnType<typeof describeVersion>>>;

/**
 * One run's Custom Labels training, step by step: upload the images and write
 * the manifests, create the project and its datasets, train the model version
 * (polled with backoff), read its evaluation summary, and optionally classify
 * every TEST image with the running model for exact counts.
 */
export class RekognitionTraining {
  private readonly now: () => number;
  private readonly session: RekognitionSession;
  private readonly settings: ReturnType<typeof rekognitionSettingsOf>;
  private readonly log: Logger;
  private readonly runRecord: RunRecord;

  constructor(private readonly deps: Deps, private readonly ctx: RekognitionTrainerContext) {
    this.now = deps.now ?? Date.now;
    this.log = ctx.log;
    this.runRecord = ctx.run;
    this.session = sessionFor(deps, ctx.log, () => this.isCancelled());
    this.settings = rekognitionSettingsOf(ctx.run);
  }

  async run(): Promise<RekognitionOutcome> {
    const { settings, log } = this;
    // Rekognition has TRAIN and TEST only: VALIDATION images train too (it holds out its own).
    const labels = [...new Set(this.ctx.images.map((i) => i.label))].sort();
    const forTraining = this.ctx.images.filter((i) => i.split === 'TRAIN' || i.split === 'VALIDATION');
    const forTesting = this.ctx.images.filter((i) => i.split === 'TEST');
    if (forTraining.length === 0 || forTesting.length === 0) {
      throw new RekognitionTrainerError(`the dataset needs TRAIN and TEST images for Rekognition; it has ${forTraining.length} for training and ${forTesting.length} for testing`);
    }
    log.info({ projectName: settings.projectName, versionName: settings.versionName, train: forTraining.length, test: forTesting.length, labels }, 'Rekognition training starts');

    const { upload, uploadedTest, manifests } = await this.uploadImages(forTraining, forTesting, labels);
    const project = await this.createProjectAndDatasets(manifests);
    const { version, trained } = await this.trainVersion(project);
    const { summary, summaryUri } = await this.readSummary(trained, version.arn, labels);
    const billable = trained.BillableTrainingTimeInSeconds ?? null;
    const f1Score = summary?.aggregate.f1 ?? trained.EvaluationResult?.F1Score ?? null;
    await this.record(summaryMetrics(summary, f1Score, billable));
    let evaluationSource = await this.recordSummaryEvaluation(summary, summaryUri);

    let inferenceSeconds = 0;
    if (settings.evaluateWithInference) {
      const exact = await this.evaluateExactly(project.arn, version.arn, labels, uploadedTest);
      inferenceSeconds = exact.inferenceSeconds;
      evaluationSource = exact.evaluationSource;
    }

    const estimatedCostUsd = estimateCostUsd(this.deps.config, billable, inferenceSeconds, settings.minInferenceUnits);
    await this.record([
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

  private async isCancelled(): Promise<boolean> {
    return this.ctx.signal?.aborted === true || (await this.ctx.isCancelled());
  }

  private async throwIfCancelled(): Promise<void> {
    if (await this.isCancelled()) throw new RekognitionCancelledError();
  }

  /** A write refused because the run left RUNNING means it was cancelled (or swept): say so. */
  private async record(points: Point[]): Promise<void> {
    try {
      await this.ctx.services.metrics.logMetrics(this.runRecord.id, points);
    } catch (error) {
      if (await this.isCancelled()) throw new RekognitionCancelledError();
      throw error;
    }
  }

  private note(message: string): void {
    void this.ctx.services.runs.note(this.runRecord.id, message).catch(() => undefined);
  }

  /** 1. Images (once per content) and one Ground Truth manifest per split. */
  private async uploadImages(forTraining: RekognitionTrainerContext['images'], forTesting: RekognitionTrainerContext['images'], labels: string[]) {
    const { deps, log } = this;
    const upload = await uploadImages([...forTraining, ...forTesting], { s3: deps.clients.s3, bucket: deps.config.bucket, prefix: deps.config.prefix, policy: this.session.policy });
    await this.throwIfCancelled();
    log.info({ uploaded: upload.uploaded, skipped: upload.skipped, bytes: upload.bytesUploaded }, 'images are in S3');
    await this.record([
      { key: REKOGNITION_METRICS.imagesUploaded, step: 0, value: upload.uploaded },
      { key: REKOGNITION_METRICS.imagesSkipped, step: 0, value: upload.skipped },
    ]);
    const uploadedTrain = upload.images.slice(0, forTraining.length);
    const uploadedTest = upload.images.slice(forTraining.length);
    const manifests: Manifests = {
      TRAIN: await this.writeManifest('TRAIN', uploadedTrain, labels),
      TEST: await this.writeManifest('TEST', uploadedTest, labels),
    };
    for (const manifest of Object.values(manifests)) {
      await this.ctx.services.artifacts.upsert({ runId: this.runRecord.id, kind: 'rekognition-manifest', uri: `s3://${manifest.bucket}/${manifest.key}`, bytes: 0 });
    }
    return { upload, uploadedTest, manifests };
  }

  private async writeManifest(split: 'TRAIN' | 'TEST', images: UploadedImage[], labels: string[]): Promise<{ bucket: string; key: string }> {
    const { config, clients } = this.deps;
    const manifest = buildManifest(images, labels, new Date());
    if (manifest.duplicates.length) {
      this.log.warn({ split, duplicates: manifest.duplicates.slice(0, 20), count: manifest.duplicates.length }, `${manifest.duplicates.length} ${split} image(s) repeat another's bytes; each content is listed once`);
    }
    const key = `${config.prefix}manifests/${this.runRecord.id}/${split.toLowerCase()}.manifest`;
    await callAws(this.session.policy, 'PutObject', `writing the ${split} manifest to s3://${config.bucket}/${key}`, () =>
      clients.s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: manifest.body, ContentType: 'application/x-ndjson' })),
    );
    return { bucket: config.bucket, key };
  }

  /** 2. Project and datasets. */
  private async createProjectAndDatasets(manifests: Manifests): Promise<Project> {
    const { settings, log, session } = this;
    await this.throwIfCancelled();
    const project = await ensureProject(session, settings.projectName);
    for (const type of ['TRAIN', 'TEST'] as const) {
      const datasetArn = await createDataset(session, { arn: project.arn, name: settings.projectName, datasets: project.datasets }, type, manifests[type], () => this.isCancelled());
      await waitForDataset(session, datasetArn, type, {
        isCancelled: () => this.isCancelled(),
        onStatus: (status, d) => {
          log.info({ datasetArn, type, status, statusMessage: d.StatusMessage, stats: d.DatasetStats }, `${type} dataset: ${status}`);
          this.note(`${type} dataset: ${status}${d.StatusMessage ? `: ${d.StatusMessage}` : ''}`);
        },
      });
    }
    return project;
  }

  /** 3. Training, polled with backoff; each status change is logged, each poll an elapsed-time point. */
  private async trainVersion(project: Project): Promise<{ version: { arn: string }; trained: TrainedVersion }> {
    const { settings, log, session, deps } = this;
    await this.throwIfCancelled();
    const version = await createVersion(session, {
      projectArn: project.arn,
      versionName: settings.versionName,
      bucket: deps.config.bucket,
      outputPrefix: `${deps.config.prefix}output/`,
      runId: this.runRecord.id,
    });
    await this.ctx.services.artifacts.upsert({ runId: this.runRecord.id, kind: 'rekognition-model', uri: version.arn, bytes: 0 });
    const trainingStarted = this.now();
    let lastStatus: string | undefined;
    let trained: TrainedVersion;
    try {
      trained = await pollUntilFinal({
        what: 'the training',
        describe: async () => (await describeVersion(session, project.arn, settings.versionName)) ?? {},
        status: (v) => v.Status ?? 'UNKNOWN',
        isFinal: (s) => s !== 'TRAINING_IN_PROGRESS' && s !== 'UNKNOWN' && s !== 'STOPPING',
        onStatus: (status, v) => {
          lastStatus = status;
          log.info({ versionArn: version.arn, status, statusMessage: v.StatusMessage }, `Rekognition model: ${status}${v.StatusMessage ? ` (${v.StatusMessage})` : ''}`);
          this.note(`model ${status}${v.StatusMessage ? `: ${v.StatusMessage}` : ''}`);
        },
        onPoll: (poll) => this.record([{ key: REKOGNITION_METRICS.elapsedSeconds, step: poll, value: (this.now() - trainingStarted) / 1000 }]),
        isCancelled: () => this.isCancelled(),
        intervalMs: deps.config.pollMs,
        maxIntervalMs: deps.config.maxPollMs,
        sleep: session.policy.sleep,
        now: this.now,
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
    if (trained.Status === 'TRAINING_FAILED') throw new RekognitionTrainerError(explainTrainingFailure(trained.StatusMessage, deps.config), 'TRAINING_FAILED');
    if (trained.Status !== 'TRAINING_COMPLETED' && trained.Status !== 'STOPPED' && trained.Status !== 'RUNNING') {
      throw new RekognitionTrainerError(
        `the model version ended training as ${trained.Status}${trained.StatusMessage ? `: ${trained.StatusMessage}` : ''}. What to check: the model in the Custom Labels console.`,
        trained.Status ?? null,
      );
    }
    return { version, trained };
  }

  /** 4. The evaluation summary Rekognition wrote to S3, when it wrote one. */
  private async readSummary(trained: TrainedVersion, versionArn: string, labels: string[]): Promise<{ summary: ParsedEvaluationSummary | null; summaryUri: string | null }> {
    const summaryObject = trained.EvaluationResult?.Summary?.S3Object;
    if (!summaryObject?.Bucket || !summaryObject.Name) {
      this.log.warn({ versionArn }, 'the model has no EvaluationResult.Summary: no evaluation from the summary');
      return { summary: null, summaryUri: null };
    }
    const summaryUri = `s3://${summaryObject.Bucket}/${summaryObject.Name}`;
    const text = await callAws(this.session.policy, 'GetObject', `reading the evaluation summary ${summaryUri}`, async () => {
      const object = await this.deps.clients.s3.send(new GetObjectCommand({ Bucket: summaryObject.Bucket, Key: summaryObject.Name }));
      return object.Body!.transformToString();
    });
    let summary: ParsedEvaluationSummary;
    try {
      summary = parseEvaluationSummary(text, labels);
    } catch (error) {
      throw new RekognitionTrainerError(`${(error as Error).message} (${summaryUri}). What to check: the file Rekognition wrote; the model itself trained.`);
    }
    await this.ctx.services.artifacts.upsert({ runId: this.runRecord.id, kind: 'rekognition-evaluation-summary', uri: summaryUri, bytes: Buffer.byteLength(text) });
    return { summary, summaryUri };
  }

  /** The summary's confusion matrix as the run's evaluation, saying where its numbers came from. */
  private async recordSummaryEvaluation(summary: ParsedEvaluationSummary | null, summaryUri: string | null): Promise<string | null> {
    if (!summary?.confusionMatrix) return null;
    const source = summary.scaledFromFractions
      ? `Amazon Rekognition evaluation summary (${summaryUri}): its confusion matrix holds fractions of each label's TEST images; these counts are fraction × NumberOfTestingImages, rounded. Rekognition's own per-label precision/recall/F1 (at its thresholds) are the ${REKOGNITION_METRICS.labelF1}/<label> metrics.`
      : `Amazon Rekognition evaluation summary (${summaryUri}): counts as given in the file.`;
    await this.ctx.services.evaluations.record(this.runRecord.id, { labels: summary.labels, confusionMatrix: summary.confusionMatrix }, source);
    return source;
  }

  /** 5. Optional exact evaluation: the model classifies every TEST image, then is stopped. */
  private async evaluateExactly(projectArn: string, versionArn: string, labels: string[], uploadedTest: UploadedImage[]) {
    const { settings, log } = this;
    await this.throwIfCancelled();
    const exact = await evaluateWithInference(this.session, {
      projectArn,
      versionName: settings.versionName,
      versionArn,
      minInferenceUnits: settings.minInferenceUnits,
      bucket: this.deps.config.bucket,
      labels,
      testImages: uploadedTest,
      isCancelled: () => this.isCancelled(),
      onStatus: (status) => {
        log.info({ versionArn, status }, `Rekognition model: ${status}`);
        this.note(`model ${status}`);
      },
      now: this.now,
    });
    const evaluationSource =
      `Amazon Rekognition DetectCustomLabels on the ${exact.images} TEST images with ${versionArn}: exact counts of each image's top label` +
      (exact.classified < exact.images ? ` (${exact.classified} distinct contents classified once each)` : '') +
      (exact.unlabelled ? `; ${exact.unlabelled} image(s) got no label and are not counted` : '') + '.';
    await this.ctx.services.evaluations.record(this.runRecord.id, { labels: exact.labels, confusionMatrix: exact.confusionMatrix }, evaluationSource);
    return { inferenceSeconds: exact.runningSeconds, evaluationSource };
  }
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
