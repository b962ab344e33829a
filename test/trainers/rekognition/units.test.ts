import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadRekognitionConfig } from '../../../src/trainers/rekognition/config.js';
import { fractionsToCounts, parseEvaluationSummary } from '../../../src/trainers/rekognition/evaluation-summary.js';
import { buildManifest, LABEL_ATTRIBUTE } from '../../../src/trainers/rekognition/manifest.js';
import { prepareImage } from '../../../src/trainers/rekognition/image-upload.js';
import { estimateCostUsd } from '../../../src/trainers/rekognition/rekognition-trainer-job.js';
import { explainAwsError, explainTrainingFailure, isRetryable } from '../../../src/trainers/rekognition/aws-errors.js';

describe('loadRekognitionConfig', () => {
  it('applies the defaults and normalises the prefix', () => {
    const config = loadRekognitionConfig({ EPOCHAL_S3_BUCKET: 'my-bucket', AWS_REGION: 'eu-west-1', EPOCHAL_S3_PREFIX: 'team/oct' });
    expect(config).toMatchObject({ bucket: 'my-bucket', region: 'eu-west-1', prefix: 'team/oct/', forcePathStyle: false, pollMs: 30_000, maxPollMs: 120_000 });
    expect(loadRekognitionConfig({ EPOCHAL_S3_BUCKET: 'my-bucket' }).prefix).toBe('epochal/');
  });

  it('names every bad variable and says why', () => {
    expect(() => loadRekognitionConfig({})).toThrow(/EPOCHAL_S3_BUCKET is required/);
    const attempt = () =>
      loadRekognitionConfig({ EPOCHAL_S3_BUCKET: 'Bad_Bucket', AWS_REGION: 'moon', EPOCHAL_REKOGNITION_POLL_MS: 'soon', AWS_ENDPOINT_URL_S3: 'localhost:9000', EPOCHAL_S3_FORCE_PATH_STYLE: 'maybe' });
    expect(attempt).toThrow(/EPOCHAL_S3_BUCKET must be an S3 bucket name/);
    expect(attempt).toThrow(/AWS_REGION must be a region name/);
    expect(attempt).toThrow(/EPOCHAL_REKOGNITION_POLL_MS must be a number/);
    expect(attempt).toThrow(/AWS_ENDPOINT_URL_S3 must be an http\(s\) URL/);
    expect(attempt).toThrow(/EPOCHAL_S3_FORCE_PATH_STYLE must be true or false/);
  });
});

const cells = (rows: Record<string, Record<string, number>>) =>
  Object.entries(rows).flatMap(([truth, row]) => Object.entries(row).map(([predicted, value]) => ({ GroundTruthLabel: truth, PredictedLabel: predicted, Value: value })));

describe('parseEvaluationSummary', () => {
  const matrix = cells({ CNV: { CNV: 0.75, NORMAL: 0.25 }, NORMAL: { CNV: 1 / 3, NORMAL: 2 / 3 } });
  const perLabel = [
    { Label: 'CNV', NumberOfTestingImages: 4, Metrics: { Threshold: 0.41, Precision: 0.75, Recall: 0.75, F1Score: 0.75 } },
    { Label: 'NORMAL', NumberOfTestingImages: 3, Metrics: { Threshold: 0.5, Precision: 0.667, Recall: 0.667, F1Score: 0.667 } },
  ];

  it('reads the example-file shape (numbers directly under AggregatedEvaluationResults) and scales fractions to counts', () => {
    const text = JSON.stringify({
      Version: 1,
      EvaluationDetails: { Labels: ['NORMAL', 'CNV'], NumberOfTrainingImages: 20, NumberOfTestingImages: 7 },
      AggregatedEvaluationResults: { Precision: 0.7, Recall: 0.71, F1Score: 0.72, ConfusionMatrix: matrix },
      LabelEvaluationResults: perLabel,
    });
    const parsed = parseEvaluationSummary(text, ['CNV', 'NORMAL']);
    expect(parsed.labels).toEqual(['CNV', 'NORMAL']);
    expect(parsed.confusionMatrix).toEqual([[3, 1], [1, 2]]);
    expect(parsed.scaledFromFractions).toBe(true);
    expect(parsed.aggregate).toEqual({ precision: 0.7, recall: 0.71, f1: 0.72 });
    expect(parsed.perLabel[0]).toEqual({ label: 'CNV', testImages: 4, threshold: 0.41, precision: 0.75, recall: 0.75, f1: 0.75 });
  });

  it('reads the reference-page shape (AggregatedEvaluationResults.Metrics) and counts given as counts', () => {
    const text = JSON.stringify({
      AggregatedEvaluationResults: { Metrics: { Precision: 0.5, Recall: 0.6, F1Score: 0.55 }, ConfusionMatrix: cells({ A: { A: 5, B: 2 }, B: { B: 7 } }) },
      LabelEvaluationResults: [{ Label: 'A', NumberOfTestingImages: 7 }, { Label: 'B', NumberOfTestingImages: 7 }],
    });
    const parsed = parseEvaluationSummary(text);
    expect(parsed.aggregate).toEqual({ precision: 0.5, recall: 0.6, f1: 0.55 });
    expect(parsed.confusionMatrix).toEqual([[5, 2], [0, 7]]);
    expect(parsed.scaledFromFractions).toBe(false);
  });

  it('says what is wrong with a malformed file', () => {
    expect(() => parseEvaluationSummary('{nope')).toThrow(/not JSON/);
    expect(() => parseEvaluationSummary(JSON.stringify({ LabelEvaluationResults: [{ Label: 3 }] }))).toThrow(/LabelEvaluationResults\.0\.Label/);
  });

  it('rounds a row of fractions so it still sums to the label\'s images', () => {
    expect(fractionsToCounts([1 / 3, 1 / 3, 1 / 3], 4)).toEqual([2, 1, 1]);
    expect(fractionsToCounts([0.5, 0.5], 3).reduce((a, b) => a + b)).toBe(3);
  });
});

describe('buildManifest', () => {
  it('writes one Ground Truth classification line per content, label as an index with its metadata', () => {
    const image = (uri: string, label: string, key: string) => ({ uri, label, split: 'TRAIN', key, sourceRef: `s3://b/${key}` });
    const manifest = buildManifest([image('/a.png', 'NORMAL', 'k1'), image('/b.png', 'CNV', 'k2'), image('/c.png', 'CNV', 'k2')], ['CNV', 'NORMAL'], new Date('2026-11-26T10:00:00Z'));
    const lines = manifest.body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      'source-ref': 's3://b/k1',
      [LABEL_ATTRIBUTE]: 1,
      [`${LABEL_ATTRIBUTE}-metadata`]: { confidence: 1, 'class-name': 'NORMAL', 'human-annotated': 'yes', 'creation-date': '2026-11-26T10:00:00.000', type: 'groundtruth/image-classification', 'job-name': 'epochal' },
    });
    expect(manifest.duplicates).toEqual([{ uri: '/c.png', sameAs: '/b.png' }]);
  });
});

describe('prepareImage', () => {
  it('upscales small images to 64 px per side, keeps PNG, and hashes the result deterministically', async () => {
    const small = await sharp({ create: { width: 32, height: 48, channels: 3, background: "#646464" } }).png().toBuffer();
    const a = await prepareImage(small, 'small');
    expect([a.format, a.width, a.height]).toEqual(['png', 64, 96]);
    expect(await sharp(a.bytes).metadata()).toMatchObject({ width: 64, height: 96, format: 'png' });
    expect((await prepareImage(small, 'small')).sha256).toBe(a.sha256);
  });

  it('leaves a big-enough JPEG byte for byte, turns other formats into PNG, refuses extreme aspect ratios', async () => {
    const jpeg = await sharp({ create: { width: 80, height: 64, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    expect((await prepareImage(jpeg, 'j')).bytes.equals(jpeg)).toBe(true);
    const webp = await sharp({ create: { width: 70, height: 70, channels: 3, background: '#000' } }).webp().toBuffer();
    expect((await prepareImage(webp, 'w')).format).toBe('png');
    const strip = await sharp({ create: { width: 2100, height: 100, channels: 3, background: "#000" } }).png().toBuffer();
    await expect(prepareImage(strip, 'the strip')).rejects.toThrow(/the strip is 2100×100 px: Rekognition refuses aspect ratios above 20:1/);
    await expect(prepareImage(Buffer.from('not an image'), 'junk.png')).rejects.toThrow(/junk.png is not an image/);
  });
});

describe('errors and cost', () => {
  it('keeps AWS\'s own message and adds what to check', () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: rekognition:CreateProject'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const message = explainAwsError(denied, { operation: 'CreateProject', doing: 'creating the project p', bucket: 'bkt', region: 'us-east-1' }).message;
    expect(message).toContain('CreateProject failed while creating the project p: AccessDeniedException: User: arn:aws:iam::1:user/x is not authorized');
    expect(message).toMatch(/What to check: .*IAM permissions: rekognition:CreateProject.*s3:\/\/bkt/);
    expect(explainTrainingFailure('Unable to write to output S3 bucket.', { bucket: 'bkt', prefix: 'p/', region: 'us-east-1' })).toContain('s3://bkt/p/output/');
    expect(isRetryable(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });

  it('estimates training hours plus inference-unit hours', () => {
    expect(estimateCostUsd({ trainingUsdPerHour: 1, inferenceUsdPerUnitHour: 4 }, 5400, 1800, 2)).toBe(1.5 + 4);
    expect(estimateCostUsd({ trainingUsdPerHour: 1, inferenceUsdPerUnitHour: 4 }, null, 0, 1)).toBe(0);
  });
});
