import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../engine/select-engine.js';

/**
 * The one pretrained base that ships with Epochal: the MobileNetV2 inside the
 * `nsfwjs` npm package (MIT), a Keras 2.2.4 layers model with uint8-quantised
 * weights, read from the package's files (no network).
 *
 * What it is, honestly: a MobileNetV2 (alpha 1.0) whose backbone started from
 * ImageNet weights, after which its upper blocks were fine-tuned on another
 * task (NSFW image classes; that model's training scripts unfreeze from
 * block_11_expand). So blocks 1-10 should still hold ImageNet features, the
 * upper ones features tuned for that task. It is not plain ImageNet MobileNetV2.
 *
 * It is cut at `out_relu` (the last feature map, 1280 channels) and re-saved
 * with the run's square input size (the full model's head flattens a 7×7 map,
 * so only the backbone takes other sizes). Input: RGB scaled to [0, 1], which
 * is what the image pipeline already gives.
 */
export const PRETRAINED_MOBILENET_V2 = {
  source: 'nsfwjs npm package 4.4.0, dist/models/mobilenet_v2 (MIT), vendored in vendor/nsfwjs-mobilenet-v2/',
  cutAt: 'out_relu',
  inputScaling: '[0, 1] (pixels / 255)',
  description:
    'MobileNetV2 backbone from the nsfwjs npm package: ImageNet-initialised, its upper blocks (from block_11_expand) then fine-tuned on another task (NSFW image classes); cut at out_relu, uint8-quantised weights, input RGB in [0, 1]',
} as const;

interface KerasLayer { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }
interface Topology { model_config: { class_name: string; config: { layers: KerasLayer[]; input_layers: unknown[]; output_layers: unknown[]; name?: string } } }
interface WeightGroup { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }

/** The two files of nsfwjs's MobileNetV2, vendored (vendor/nsfwjs-mobilenet-v2/README.md says why). */
const MODEL_FOLDER = fileURLToPath(new URL('../../../../vendor/nsfwjs-mobilenet-v2/', import.meta.url));

/** The backbone's topology (cut at out_relu, input size set) and its weights, from the package's files. */
function readBackbone(imageSize: number): { topology: Topology; weightSpecs: WeightGroup['weights']; weightData: ArrayBuffer } {
  const require = createRequire(import.meta.url);
  const folder = MODEL_FOLDER;
  // The files are UMD modules exporting the model.json object and the weights as base64.
  const model = require(path.join(folder, 'model.min.cjs')) as { modelTopology: Topology; weightsManifest: WeightGroup[] };
  const shard = require(path.join(folder, 'group1-shard1of1.min.cjs')) as string;
  const topology = structuredClone(model.modelTopology);
  const config = topology.model_config.config;
  const cut = config.layers.findIndex((layer) => layer.name === PRETRAINED_MOBILENET_V2.cutAt);
  if (cut < 0) throw new Error(`the nsfwjs MobileNetV2 has no ${PRETRAINED_MOBILENET_V2.cutAt} layer`);
  config.layers = config.layers.slice(0, cut + 1);
  config.output_layers = [[PRETRAINED_MOBILENET_V2.cutAt, 0, 0]];
  config.name = 'mobilenetv2_pretrained';
  const input = config.layers[0];
  if (input.class_name !== 'InputLayer') throw new Error('the nsfwjs MobileNetV2 does not start with an InputLayer');
  input.config.batch_input_shape = [null, imageSize, imageSize, 3];
  const bytes = Buffer.from(shard, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { topology, weightSpecs: model.weightsManifest.flatMap((group) => group.weights), weightData };
}

/**
 * The pretrained backbone for `imageSize` px RGB input. Its head's weights are
 * in the same shard and are skipped (strict: false), the backbone's all load.
 */
export async function loadPretrainedMobileNetV2(tf: Tf, imageSize: number): Promise<LayersModel> {
  if (imageSize < 32) throw new Error(`the pretrained MobileNetV2 needs imageSize of at least 32 (got ${imageSize})`);
  const { topology, weightSpecs, weightData } = readBackbone(imageSize);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as unknown as object, weightSpecs: weightSpecs as never, weightData }), { strict: false });
  const expected = weightSpecs.filter((spec) => model.weights.some((w) => w.originalName === spec.name)).length;
  if (expected !== model.weights.length) throw new Error(`the pretrained MobileNetV2 loaded ${expected} of its ${model.weights.length} weights`);
  return model;
}
