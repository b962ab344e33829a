import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';

/** What the fake service keeps of a manifest line it accepted. */
export interface ManifestEntry {
  sourceRef: string;
  label: string;
  sha256: string;
}

export interface TestEntry {
  sourceRef: string;
  label: string;
  /** Position among this label's TEST images, in manifest order. */
  index: number;
}

export type Predict = (entry: TestEntry, labels: readonly string[]) => string;

/** The default "model": right, except every 4th TEST image of a label, called the next label. */
export const defaultPredict: Predict = (entry, labels) => {
  if (entry.index % 4 !== 3) return entry.label;
  return labels[(labels.indexOf(entry.label) + 1) % labels.length];
};

/**
 * One manifest line checked as the service does: valid JSON under 100,000
 * characters, a new s3:// source-ref, an integer label with its
 * groundtruth/image-classification metadata, and a readable PNG/JPEG image of
 * at least 64 × 64 px. Null: an entry in error.
 */
export async function checkManifestLine(line: string, seen: Set<string>, s3: S3Client): Promise<ManifestEntry | null> {
  if (line.length > 100_000) return null;
  let json: Record<string, any>;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const ref = json['source-ref'];
  const match = typeof ref === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(ref) : null;
  if (!match || seen.has(ref)) return null;
  seen.add(ref);
  const attribute = Object.keys(json).find((k) => k !== 'source-ref' && !k.endsWith('-metadata'));
  const metadata = attribute ? json[`${attribute}-metadata`] : undefined;
  if (!attribute || !Number.isInteger(json[attribute]) || metadata?.type !== 'groundtruth/image-classification' || typeof metadata['class-name'] !== 'string') return null;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    const meta = await sharp(bytes).metadata();
    if ((meta.format !== 'png' && meta.format !== 'jpeg') || (meta.width ?? 0) < 64 || (meta.height ?? 0) < 64) return null;
    return { sourceRef: ref, label: metadata['class-name'], sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch {
    return null;
  }
}

export function labelsOf(train: readonly ManifestEntry[], test: readonly ManifestEntry[]): string[] {
  return [...new Set([...train, ...test].map((e) => e.label))].sort();
}

/** The model's TEST predictions, in manifest order. */
export function predictTestSet(train: readonly ManifestEntry[], test: readonly ManifestEntry[], predict: Predict = defaultPredict): { entry: ManifestEntry; predicted: string }[] {
  const labels = labelsOf(train, test);
  const seenPerLabel = new Map<string, number>();
  return test.map((entry) => {
    const index = seenPerLabel.get(entry.label) ?? 0;
    seenPerLabel.set(entry.label, index + 1);
    return { entry, predicted: predict({ sourceRef: entry.sourceRef, label: entry.label, index }, labels) };
  });
}

/**
 * The evaluation summary file as the service writes it: confusion matrix as
 * fractions of each label's TEST images; the aggregate directly under
 * AggregatedEvaluationResults ('flat', AWS's example files) or under its
 * Metrics ('nested', the reference page).
 */
export function evaluationSummary(
  version: { arn: string; train: readonly ManifestEntry[]; test: readonly ManifestEntry[] },
  predictions: { entry: ManifestEntry; predicted: string }[],
  shape: 'flat' | 'nested' = 'flat',
) {
  const labels = labelsOf(version.train, version.test);
  const counts = new Map<string, number>();
  const support = new Map<string, number>();
  for (const { entry, predicted } of predictions) {
    counts.set(`${entry.label}\u0000${predicted}`, (counts.get(`${entry.label}\u0000${predicted}`) ?? 0) + 1);
    support.set(entry.label, (support.get(entry.label) ?? 0) + 1);
  }
  const count = (t: string, p: string) => counts.get(`${t}\u0000${p}`) ?? 0;
  const perLabel = labels.map((label) => {
    const tp = count(label, label);
    const predicted = labels.reduce((s, t) => s + count(t, label), 0);
    const n = support.get(label) ?? 0;
    const precision = predicted ? tp / predicted : 0;
    const recall = n ? tp / n : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { Label: label, NumberOfTestingImages: n, Metrics: { Threshold: 0.5, Precision: precision, Recall: recall, F1Score: f1 } };
  });
  const mean = (pick: (m: { Precision: number; Recall: number; F1Score: number }) => number) => perLabel.reduce((s, l) => s + pick(l.Metrics), 0) / perLabel.length;
  const aggregate = { Precision: mean((m) => m.Precision), Recall: mean((m) => m.Recall), F1Score: mean((m) => m.F1Score) };
  const ConfusionMatrix = labels.flatMap((t) => labels.map((p) => ({ GroundTruthLabel: t, PredictedLabel: p, Value: support.get(t) ? count(t, p) / support.get(t)! : 0 })));
  return {
    f1: aggregate.F1Score,
    file: {
      Version: 1,
      EvaluationDetails: {
        ProjectVersionArn: version.arn,
        EvaluationEndTimestamp: new Date().toISOString(),
        Labels: labels,
        NumberOfTrainingImages: version.train.length,
        NumberOfTestingImages: version.test.length,
      },
      AggregatedEvaluationResults: shape === 'nested' ? { Metrics: aggregate, ConfusionMatrix } : { ...aggregate, ConfusionMatrix },
      LabelEvaluationResults: perLabel,
    },
  };
}
