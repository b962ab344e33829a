import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { io, LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../engine/select-engine.js';

/**
 * Reading and writing models in the TensorFlow.js layers format (model.json + weight shards)
 * on the local disk. The pure @tensorflow/tfjs package has no file:// handler in Node, and
 * tfjs-node's is only there when tfjs-node is, so every engine uses these.
 */
const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** Joins the weight buffers tfjs hands over (one buffer, or several in 4.x). */
function toBuffer(weightData: io.WeightData | undefined): Buffer {
  if (!weightData) return Buffer.alloc(0);
  const parts = Array.isArray(weightData) ? weightData : [weightData];
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

/** Resolves a shard path from model.json, refusing ones that leave the model's folder. */
function shardPath(dir: string, relative: string): string {
  const resolved = path.resolve(dir, relative);
  if (path.relative(dir, resolved).startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Weight shard "${relative}" in ${path.join(dir, MODEL_JSON)} points outside its folder`);
  }
  return resolved;
}

/** An IOHandler that saves a model as `dir/model.json` + `dir/weights.bin`. */
export function folderSaveHandler(tf: Tf, dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('Only JSON model topologies can be saved');
      await mkdir(dir, { recursive: true });
      const weights = toBuffer(artifacts.weightData);
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(path.join(dir, WEIGHTS_FILE), weights);
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(modelJson) };
    },
  };
}

/** An IOHandler that loads `dir/model.json` and the weight shards its manifest lists, in order. */
export function folderLoadHandler(tf: Tf, dir: string): io.IOHandler {
  const folder = path.resolve(dir);
  return {
    async load(): Promise<io.ModelArtifacts> {
      const jsonPath = path.join(folder, MODEL_JSON);
      let modelJson: io.ModelJSON;
      try {
        modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as io.ModelJSON;
      } catch (error) {
        throw new Error(`Cannot read a TensorFlow.js model from ${jsonPath}: ${(error as Error).message}`);
      }
      if (!modelJson.modelTopology) throw new Error(`${jsonPath} has no modelTopology (is it a layers model?)`);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(
          manifest.flatMap((group) => group.paths).map((shard) => readFile(shardPath(folder, shard))),
        );
        const joined = Buffer.concat(shards);
        const data = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
        return [specs, data];
      });
    },
  };
}

/** Saves a model to a folder and reports the files written. */
export async function saveModelToFolder(
  tf: Tf,
  model: LayersModel,
  dir: string,
): Promise<{ path: string; bytes: number }[]> {
  await model.save(folderSaveHandler(tf, dir));
  return Promise.all(
    [MODEL_JSON, WEIGHTS_FILE].map(async (name) => {
      const file = path.join(dir, name);
      return { path: file, bytes: (await stat(file)).size };
    }),
  );
}

/** Loads a layers model saved by saveModelToFolder or by tensorflowjs_converter. */
export function loadModelFromFolder(tf: Tf, dir: string): Promise<LayersModel> {
  return tf.loadLayersModel(folderLoadHandler(tf, dir));
}
