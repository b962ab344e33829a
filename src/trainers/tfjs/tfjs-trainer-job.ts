import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatasetImageRecord } from '../../datasets/dataset.record.js';
import { badInput } from '../../kernel/errors.js';
import type { RunRecord } from '../../runs/run.record.js';
import { loadTrainingEngine } from './engine/select-engine.js';
import { trainClassifier, type LabeledImage } from './train-classifier.js';
import { checkBaseModelPath, tfjsConfigSchema, type TfjsConfig } from './tfjs-config.js';
import type { FileSettings } from '../../kernel/domain-module.js';
import { MetricBuffer } from '../../training/worker/metric-buffer.js';
import { describeTrainingError } from './training-errors.js';
import { evaluateImages } from './evaluate-images.js';
import { loadModelFromFolder } from './models/model-folder-io.js';
import type { EvaluationContext, TrainerContext, TrainerEngine, TrainerJob } from '../../training/worker/trainer-job.js';

/** Metric keys the TFJS trainer writes besides the epochs. */
export const TFJS_METRIC_KEYS = {
  batchLoss: 'batch_loss',
  learningRate: 'learning_rate',
  imagesPerSecond: 'images_per_second',
} as const;

export interface TfjsTrainerJobOptions {
  /** Batch-loss points written per logMetrics call (also flushed every epoch, and every 2 s). */
  metricFlushPoints?: number;
  /** Where baseModelPath may point (checked again here: a run's stored config is not trusted); none given: nowhere. */
  files?: FileSettings;
}

/** The resolved TFJS configuration stored on the run; stored JSON is checked again, not trusted. */
export function tfjsConfigOf(run: Pick<RunRecord, 'id' | 'config'>): TfjsConfig {
  const parsed = tfjsConfigSchema.safeParse((run.config as { tfjs?: unknown }).tfjs ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'tfjs'}: ${i.message}`).join('; ');
    throw badInput(`run ${run.id} has an invalid TFJS configuration (${problems}); start a new run`);
  }
  return parsed.data;
}

function bySplit(images: DatasetImageRecord[]) {
  const pick = (split: DatasetImageRecord['split']): LabeledImage[] =>
    images.filter((image) => image.split === split).map((image) => ({ uri: image.uri, label: image.label }));
  const validation = pick('VALIDATION');
  return {
    train: pick('TRAIN'),
    // No VALIDATION split: the trainer holds out config.validationSplit of TRAIN, as the paper did.
    validation: validation.length > 0 ? validation : null,
    test: pick('TEST'),
    labels: [...new Set(images.map((image) => image.label))].sort(),
  };
}

/**
 * Trains a TFJS run with the training library and records everything through the
 * services the API uses: epochs (logEpoch), batch losses, learning rate and
 * throughput (logMetrics), the best and final models and the CSV log (artifacts), the TEST
 * evaluation, and what it trained (Run.outputs: pretrained or from scratch, images/s, epochs,
 * early stop), so subscribers see exactly what an API client would have logged. A base trained
 * from scratch is also announced as a RunNote when training starts.
 */
export function createTfjsTrainerJob(options: TfjsTrainerJobOptions = {}): TrainerJob {
  const flushEvery = options.metricFlushPoints ?? 20;
  return {
    async engine(): Promise<TrainerEngine> {
      const engine = await loadTrainingEngine();
      return { name: engine.name, gpuName: engine.gpuName };
    },

    describeError(error: unknown, run: RunRecord): string {
      let config: TfjsConfig | null = null;
      try {
        config = tfjsConfigOf(run);
      } catch {
        // the error itself says the config is invalid
      }
      return describeTrainingError(error, config);
    },

    evaluate: evaluateOtherImages,

    async run(ctx: TrainerContext): Promise<void> {
      const { run, services, log } = ctx;
      const config = tfjsConfigOf(run);
      if (config.baseModelPath !== null) {
        if (!options.files) throw badInput('input.tfjs.baseModelPath: this worker was given no folders to read models from');
        config.baseModelPath = await checkBaseModelPath(config, options.files);
      }
      const engine = await loadTrainingEngine();
      const data = bySplit(ctx.images);
      await mkdir(ctx.workDir, { recursive: true });
      log.info({ engine: engine.description, train: data.train.length, validation: data.validation?.length ?? 'held out', test: data.test.length }, 'TFJS training starts');

      const metrics = new MetricBuffer({ write: (series) => services.metrics.logMetricSeries(run.id, series), flushEvery, maxDelayMs: 2_000 });
      let epochStep = 0;
      // Images trained per epoch, for a live throughput curve (and the /metrics gauge).
      const trainImages = data.validation ? data.train.length : Math.round(data.train.length * (1 - config.validationSplit));
      const result = await trainClassifier({
        engine,
        config,
        labels: data.labels,
        train: data.train,
        validation: data.validation,
        test: data.test,
        workDir: ctx.workDir,
        log: (message, extra) => log.info(extra ?? {}, message),
        hooks: {
          isCancelled: () => ctx.isCancelled(),
          onModelBuilt: async (model) => {
            if (model.baseDescription) {
              await services.runs.note(run.id, `${model.architecture} starts from a pretrained base: ${model.baseDescription} (${model.parameters} parameters)`);
              return;
            }
            if (model.pretrained) return;
            await services.runs.note(run.id,
              `${model.architecture} trains from scratch: no baseModelPath was given, so its base starts from random weights, not pretrained ones (${model.parameters} parameters)`);
          },
          onBatchLoss: (step, loss) => metrics.add(TFJS_METRIC_KEYS.batchLoss, step, loss),
          onEpoch: async (epoch) => {
            if (epoch.durationMs > 0) await metrics.add(TFJS_METRIC_KEYS.imagesPerSecond, epochStep, trainImages / (epoch.durationMs / 1000));
            await metrics.add(TFJS_METRIC_KEYS.learningRate, epochStep++, epoch.learningRate);
            await metrics.flush();
            await services.metrics.logEpoch(run.id, epoch);
          },
        },
      });
      await metrics.flush();
      for (const artifact of result.artifacts) {
        await services.artifacts.record({ runId: run.id, kind: artifact.kind, path: artifact.path, bytes: artifact.bytes });
      }
      await services.evaluations.record(run.id, { labels: result.labels, confusionMatrix: result.confusionMatrix }, `tfjs:${engine.name}`);
      await services.runs.recordOutputs(run.id, {
        pretrained: result.model.pretrained,
        baseModelPath: result.model.baseModelPath,
        ...(result.model.baseDescription ? { pretrainedBase: result.model.baseDescription } : {}),
        parameters: result.model.parameters,
        engine: engine.name,
        imagesPerSecond: Math.round(result.imagesPerSecond * 10) / 10,
        epochsRun: result.epochsRun,
        stoppedEarly: result.stoppedEarly,
      });
      log.info({ epochs: result.epochsRun, stoppedEarly: result.stoppedEarly, imagesPerSecond: Math.round(result.imagesPerSecond) }, 'TFJS training done');
    },
  };
}

/**
 * Classifies other images with a TFJS run's best model (its `model` artifact), over the labels it
 * was trained on, in the order of its own evaluation: the same matrix layout as Run.evaluation.
 */
async function evaluateOtherImages(ctx: EvaluationContext): Promise<{ labels: string[]; confusionMatrix: number[][]; source: string }> {
  const { run, services } = ctx;
  const config = tfjsConfigOf(run);
  const artifact = (await services.artifacts.ofRuns([run.id])).find((a) => a.kind === 'model');
  const [own] = await services.evaluations.ofRuns([run.id]);
  if (!artifact || !own) throw new Error(`run ${run.id} has no best model or no evaluation of its own; only a run trained to the end can be evaluated`);
  const engine = await loadTrainingEngine();
  const model = await loadModelFromFolder(engine.tf, fileURLToPath(artifact.uri));
  try {
    const pass = await evaluateImages({
      tf: engine.tf, model, images: ctx.images.map(({ uri, label }) => ({ uri, label })), labels: own.labels,
      imageSize: config.imageSize, channels: config.channels as 1 | 3, batchSize: config.batchSize,
    });
    return { labels: [...own.labels], confusionMatrix: pass.confusionMatrix, source: `tfjs:${engine.name}` };
  } finally {
    model.dispose();
  }
}
