import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingEngine, type Tf } from '../../../src/trainers/tfjs/engine/select-engine.js';
import { loadPretrainedMobileNetV2 } from '../../../src/trainers/tfjs/models/pretrained-mobilenet-v2.js';
import { mobileNetV2Base, smallCnnBase, vgg16Base, xceptionBase } from '../../../src/trainers/tfjs/models/base-architectures.js';
import { buildClassifier, unfreezeAll } from '../../../src/trainers/tfjs/models/build-classifier.js';
import { loadModelFromFolder, saveModelToFolder } from '../../../src/trainers/tfjs/models/model-folder-io.js';
import { tempDir } from '../../support/temp-dir.js';

let tf: Tf;
const dir = tempDir('epochal-models-');

beforeAll(async () => {
  ({ tf } = await loadTrainingEngine({ prefer: 'wasm' }));
});

describe('bases have the published structure', () => {
  it('VGG16 without top: 14,714,688 parameters and Keras layer names', () => {
    const base = vgg16Base(tf, { imageSize: 32, channels: 3, seed: 1 });
    expect(base.countParams()).toBe(14_714_688);
    expect(base.layers.map((l) => l.name)).toContain('block5_conv3');
    expect(base.outputs[0].shape).toEqual([null, 1, 1, 512]);
    base.dispose();
  });

  it('Xception without top: 20,861,480 parameters; refuses inputs under 71 px', () => {
    expect(() => xceptionBase(tf, { imageSize: 64, channels: 3, seed: 1 })).toThrow(/at least 71/);
    const base = xceptionBase(tf, { imageSize: 71, channels: 3, seed: 1 });
    expect(base.countParams()).toBe(20_861_480);
    expect(base.getLayer('block14_sepconv2_act').outputShape).toEqual([null, 3, 3, 2048]);
    base.dispose();
  });

  it('MobileNetV2 (alpha 1.0) without top: 2,257,984 parameters', () => {
    for (const size of [32, 33]) {
      const base = mobileNetV2Base(tf, { imageSize: size, channels: 3, seed: 1 });
      expect(base.countParams()).toBe(2_257_984);
      expect(base.outputs[0].shape).toEqual([null, size === 32 ? 1 : 2, size === 32 ? 1 : 2, 1280]);
      base.dispose();
    }
  });

  it('small CNN: 23,892 parameters with a 4-class top on grayscale (training-notes.md\'s 23,556, with batch normalisation instead of conv biases)', async () => {
    const { model } = await buildClassifier(tf, {
      architecture: 'SMALL_CNN', imageSize: 32, channels: 1, numClasses: 4, baseModelPath: null, dropout: 0.2,
    });
    // Convolutions 144 + 4,608 + 18,432 (no bias), batch norm 4 × (16 + 32 + 64), dense 64 × 4 + 4.
    expect(model.countParams()).toBe(23_892);
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it('a MobileNetV2 classifier runs forward and backward on wasm', () => {
    const base = mobileNetV2Base(tf, { imageSize: 32, channels: 3, seed: 1 });
    const grads = tf.tidy(() => {
      const x = tf.randomUniform([2, 32, 32, 3]);
      const { grads } = tf.variableGrads(() => tf.mean(base.apply(x, { training: true }) as ReturnType<typeof tf.mean>));
      return Object.values(grads).map((g) => g.shape.length);
    });
    expect(grads.length).toBeGreaterThan(100);
    base.dispose();
  });
});

describe('model folders', () => {
  it('saves a model and loads it back with identical weights and outputs', async () => {
    const base = smallCnnBase(tf, { imageSize: 24, channels: 3, seed: 7 });
    const files = await saveModelToFolder(tf, base, path.join(dir, 'small'));
    expect(files.map((f) => path.basename(f.path))).toEqual(['model.json', 'weights.bin']);
    expect(files[1].bytes).toBe(base.countParams() * 4);
    const loaded = await loadModelFromFolder(tf, path.join(dir, 'small'));
    const original = base.getWeights().map((w) => Array.from(w.dataSync()));
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(original);
    const x = tf.randomUniform([1, 24, 24, 3]);
    const [a, b] = [base.predict(x), loaded.predict(x)] as [ReturnType<typeof tf.tensor>, ReturnType<typeof tf.tensor>];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    base.dispose();
    loaded.dispose();
  });

  it('uses a saved classifier as a frozen base (top removed), and unfreezes it for fine-tuning', async () => {
    const first = await buildClassifier(tf, {
      architecture: 'SMALL_CNN', imageSize: 24, channels: 1, numClasses: 3, baseModelPath: null, dropout: 0.2, seed: 3,
    });
    await saveModelToFolder(tf, first.model, path.join(dir, 'trained'));
    const second = await buildClassifier(tf, {
      architecture: 'SMALL_CNN', imageSize: 24, channels: 1, numClasses: 5, baseModelPath: path.join(dir, 'trained'), dropout: 0.2,
    });
    expect(second.pretrained).toBe(true);
    // Only the new dense top trains in phase 1.
    expect(second.model.trainableWeights.map((w) => w.shape)).toEqual([[64, 5], [5]]);
    // Layer by layer: a model's getWeights() lists trainable weights first, so its order changes when frozen.
    const layerWeights = (base: typeof first.base) =>
      base!.layers.map((layer) => [layer.name, layer.getWeights().map((w) => Array.from(w.dataSync()))]);
    expect(layerWeights(second.base)).toEqual(layerWeights(first.base));
    unfreezeAll(second);
    // 3 convolution kernels, 3 × batch-norm gamma and beta, the dense kernel and bias.
    expect(second.model.trainableWeights.length).toBe(11);
    await expect(
      buildClassifier(tf, {
        architecture: 'SMALL_CNN', imageSize: 32, channels: 1, numClasses: 5, baseModelPath: path.join(dir, 'trained'), dropout: 0.2,
      }),
    ).rejects.toThrow(/24×24×1 images but the run uses 32×32×1/);
    await expect(
      buildClassifier(tf, { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, numClasses: 5, baseModelPath: path.join(dir, 'missing'), dropout: 0.2 }),
    ).rejects.toThrow(/Cannot read a TensorFlow.js model/);
    first.model.dispose();
    second.model.dispose();
  });
});

describe('the bundled pretrained MobileNetV2 backbone', () => {
  it('loads from the nsfwjs package at any input size, cut at out_relu, with the same stored weights each time', async () => {
    const { tf } = await loadTrainingEngine({ prefer: 'wasm' });
    const small = await loadPretrainedMobileNetV2(tf, 64);
    const large = await loadPretrainedMobileNetV2(tf, 96);
    expect(small.outputs[0].shape).toEqual([null, 2, 2, 1280]);
    expect(large.outputs[0].shape).toEqual([null, 3, 3, 1280]);
    expect(small.layers.at(-1)!.name).toBe('out_relu');
    expect(small.countParams()).toBe(2_257_984); // Keras' MobileNetV2 (alpha 1) without its top
    const conv1 = (m: typeof small) => Array.from(m.getLayer('Conv1').getWeights()[0].dataSync());
    expect(conv1(small)).toEqual(conv1(large));
    expect(conv1(small).some((v) => v !== 0)).toBe(true);
    tf.dispose([small, large].flatMap((m) => m.weights.map((w) => w.read())));
  });

  it('normalises with its stored statistics while training, and leaves them unchanged, frozen or fine-tuned', async () => {
    const classifier = await buildClassifier(tf, {
      architecture: 'MOBILENET_V2', pretrainedBase: true, imageSize: 32, channels: 3, numClasses: 4, baseModelPath: null, dropout: 0, seed: 1,
    });
    const base = classifier.base!;
    const movingMean = () => Array.from(base.getLayer('bn_Conv1').weights.find((w) => w.name.includes('moving_mean'))!.read().dataSync());
    const before = movingMean();
    const images = tf.randomUniform([6, 32, 32, 3], 0, 1, 'float32', 5);
    for (const phase of ['frozen', 'fine-tuning']) {
      if (phase === 'fine-tuning') unfreezeAll(classifier);
      const training = base.apply(images, { training: true }) as import('@tensorflow/tfjs').Tensor;
      const inference = base.apply(images, { training: false }) as import('@tensorflow/tfjs').Tensor;
      expect(tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0], phase).toBe(0);
      tf.dispose([training, inference]);
    }
    expect(movingMean()).toEqual(before);
    images.dispose();
    classifier.model.dispose();
  });
});
