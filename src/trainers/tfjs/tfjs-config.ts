import { z } from 'zod';
import { confinePath } from '../../kernel/confined-path.js';
import type { FileSettings } from '../../kernel/domain-module.js';

/**
 * The TensorFlow.js training configuration. Its defaults are the recipe
 * (VGG16 base, 224 px, Adam 1e-3, 50 epochs then 10 of fine-tuning at 1e-5, ...).
 * `Run.config` stores the resolved value, defaults included, so a run can be
 * reproduced from its config alone.
 */
export const ARCHITECTURES = ['VGG16', 'XCEPTION', 'MOBILENET_V2', 'SMALL_CNN'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const tfjsConfigSchema = z.object({
  architecture: z.enum(ARCHITECTURES).default('VGG16'),
  imageSize: z.number().int().min(16, 'imageSize must be at least 16').max(1024, 'imageSize must be at most 1024').default(224),
  channels: z.union([z.literal(1), z.literal(3)], { error: 'channels must be 1 or 3' }).default(3),
  baseModelPath: z.string().min(1).nullish().transform((v) => v ?? null),
  /** MOBILENET_V2 only: start from the bundled backbone (models/pretrained-mobilenet-v2.ts), not random weights. */
  pretrained: z.boolean().default(false),
  epochs: z.number().int().min(1, 'epochs must be at least 1').max(10_000).default(50),
  fineTuneEpochs: z.number().int().min(0, 'fineTuneEpochs must be 0 or more').max(10_000).default(10),
  batchSize: z.number().int().min(1, 'batchSize must be at least 1').max(4096).default(32),
  learningRate: z.number().positive('learningRate must be positive').max(10).default(0.001),
  fineTuneLearningRate: z.number().positive('fineTuneLearningRate must be positive').max(10).default(0.00001),
  validationSplit: z.number().gt(0, 'validationSplit must be above 0').lt(1, 'validationSplit must be below 1').default(0.2),
  augment: z.boolean().default(true),
  classWeights: z.boolean().default(true),
  earlyStoppingPatience: z.number().int().min(0).default(5),
  reduceLrPatience: z.number().int().min(0).default(5),
  batchLogEvery: z.number().int().min(1, 'batchLogEvery must be at least 1').default(10),
  seed: z.number().int().nullish().transform((v) => v ?? null),
}).superRefine((config, ctx) => {
  if (!config.pretrained) return;
  const refuse = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (config.architecture !== 'MOBILENET_V2') refuse('pretrained', `pretrained: true is offered for MOBILENET_V2 only (got ${config.architecture}); for another architecture give baseModelPath`);
  if (config.baseModelPath !== null) refuse('baseModelPath', 'give either pretrained: true or baseModelPath, not both');
  if (config.channels !== 3) refuse('channels', 'the pretrained MOBILENET_V2 takes RGB input: set channels to 3');
  if (config.imageSize < 32) refuse('imageSize', 'the pretrained MOBILENET_V2 needs imageSize of at least 32');
});

/** What a caller may send (every field optional). */
export type TfjsConfigInput = z.input<typeof tfjsConfigSchema>;
/** The resolved configuration a worker trains with. */
export type TfjsConfig = z.output<typeof tfjsConfigSchema>;

/** The recipe's augmentation: Keras ImageDataGenerator settings. */
export const RECIPE_AUGMENTATION = {
  zoomRange: [0.73, 0.9] as const,
  horizontalFlip: true,
  rotationDegrees: 10,
  widthShift: 0.1,
  heightShift: 0.1,
  fillValue: 0,
  brightnessRange: [0.55, 0.9] as const,
};

/** The recipe's callback settings on val_loss. */
export const RECIPE_CALLBACKS = {
  minDelta: 0.001,
  reduceLrFactor: 0.1,
  dropout: 0.2,
};

/**
 * baseModelPath is read by workers: confined to the import roots and the data
 * folder, so neither the run's error nor the model loader tells anything about
 * other folders. Returns the real path (null: none given).
 */
export async function checkBaseModelPath(config: Pick<TfjsConfig, 'baseModelPath'>, files: FileSettings): Promise<string | null> {
  if (config.baseModelPath === null) return null;
  return confinePath('input.tfjs.baseModelPath', config.baseModelPath, [...files.importRoots, files.dataDir]);
}
