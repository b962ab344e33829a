import { z } from 'zod';

/**
 * The evaluation summary Custom Labels writes after training, found through
 * EvaluationResult.Summary.S3Object. The aggregate numbers sit directly under
 * AggregatedEvaluationResults in AWS's example files and under
 * AggregatedEvaluationResults.Metrics on the reference page: both are read.
 */
const num = z.number().finite().nullish();
const metricsSchema = z.object({ Threshold: num, Precision: num, Recall: num, F1Score: num }).passthrough();
const cellSchema = z.object({ GroundTruthLabel: z.string(), PredictedLabel: z.string(), Value: z.number().finite().min(0) }).passthrough();
const aggregateSchema = z
  .object({
    Precision: num,
    Recall: num,
    F1Score: num,
    ConfusionMatrix: z.array(cellSchema).nullish(),
    Metrics: z.object({ Precision: num, Recall: num, F1Score: num, ConfusionMatrix: z.array(cellSchema).nullish() }).passthrough().nullish(),
  })
  .passthrough();
export const evaluationSummarySchema = z
  .object({
    Version: z.union([z.number(), z.string()]).nullish(),
    EvaluationDetails: z
      .object({
        ProjectVersionArn: z.string().nullish(),
        Labels: z.array(z.string()).nullish(),
        NumberOfTrainingImages: z.number().int().nullish(),
        NumberOfTestingImages: z.number().int().nullish(),
      })
      .passthrough()
      .nullish(),
    AggregatedEvaluationResults: aggregateSchema.nullish(),
    LabelEvaluationResults: z
      .array(z.object({ Label: z.string(), NumberOfTestingImages: z.number().int().min(0).nullish(), Metrics: metricsSchema.nullish() }).passthrough())
      .nullish(),
  })
  .passthrough();

export type EvaluationSummaryFile = z.infer<typeof evaluationSummarySchema>;

export interface LabelSummary {
  label: string;
  testImages: number | null;
  threshold: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface ParsedEvaluationSummary {
  labels: string[];
  perLabel: LabelSummary[];
  aggregate: { precision: number | null; recall: number | null; f1: number | null };
  /** Counts, rows true label, columns predicted, in `labels` order; null when the file has no matrix. */
  confusionMatrix: number[][] | null;
  /** True when the file's matrix held fractions that were scaled to counts. */
  scaledFromFractions: boolean;
  trainingImages: number | null;
  testingImages: number | null;
}

/** Parses the file's JSON text; the error says which field is wrong. */
export function parseEvaluationSummary(text: string, preferredOrder: readonly string[] = []): ParsedEvaluationSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the evaluation summary is not JSON: ${(error as Error).message}`);
  }
  const parsed = evaluationSummarySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`the evaluation summary does not have the documented shape: ${problems}`);
  }
  const file = parsed.data;
  const aggregate = file.AggregatedEvaluationResults ?? {};
  const nested = aggregate.Metrics ?? {};
  const cells = aggregate.ConfusionMatrix ?? nested.ConfusionMatrix ?? null;
  const perLabel: LabelSummary[] = (file.LabelEvaluationResults ?? []).map((r) => ({
    label: r.Label,
    testImages: r.NumberOfTestingImages ?? null,
    threshold: r.Metrics?.Threshold ?? null,
    precision: r.Metrics?.Precision ?? null,
    recall: r.Metrics?.Recall ?? null,
    f1: r.Metrics?.F1Score ?? null,
  }));
  const found = new Set<string>([...(file.EvaluationDetails?.Labels ?? []), ...perLabel.map((l) => l.label), ...(cells ?? []).map((c) => c.GroundTruthLabel)]);
  const labels = [...preferredOrder.filter((l) => found.has(l)), ...[...found].filter((l) => !preferredOrder.includes(l)).sort()];
  const support = new Map(perLabel.map((l) => [l.label, l.testImages]));
  let confusionMatrix: number[][] | null = null;
  let scaledFromFractions = false;
  if (cells && cells.length > 0) {
    const values = labels.map(() => labels.map(() => 0));
    const position = new Map(labels.map((l, i) => [l, i]));
    for (const cell of cells) {
      const r = position.get(cell.GroundTruthLabel);
      const c = position.get(cell.PredictedLabel);
      if (r !== undefined && c !== undefined) values[r][c] += cell.Value;
    }
    const looksLikeCounts = cells.every((c) => Number.isInteger(c.Value)) && cells.some((c) => c.Value > 1);
    if (looksLikeCounts) confusionMatrix = values;
    else {
      scaledFromFractions = true;
      confusionMatrix = values.map((row, i) => {
        const n = support.get(labels[i]);
        if (n == null) throw new Error(`the evaluation summary's confusion matrix holds fractions, but label ${labels[i]} has no NumberOfTestingImages to scale them by`);
        return fractionsToCounts(row, n);
      });
    }
  }
  return {
    labels,
    perLabel,
    aggregate: {
      precision: aggregate.Precision ?? nested.Precision ?? null,
      recall: aggregate.Recall ?? nested.Recall ?? null,
      f1: aggregate.F1Score ?? nested.F1Score ?? null,
    },
    confusionMatrix,
    scaledFromFractions,
    trainingImages: file.EvaluationDetails?.NumberOfTrainingImages ?? null,
    testingImages: file.EvaluationDetails?.NumberOfTestingImages ?? null,
  };
}

/**
 * A row of fractions of `n` images as whole counts (largest remainder), so the
 * row sums to round(sum × n): 0.333/0.667 of 3 gives 1/2, never 1/1 or 2/2.
 */
export function fractionsToCounts(fractions: readonly number[], n: number): number[] {
  const exact = fractions.map((f) => f * n);
  const counts = exact.map(Math.floor);
  const target = Math.min(n, Math.round(exact.reduce((a, b) => a + b, 0)));
  let missing = target - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, rest: v - Math.floor(v) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; missing > 0 && k < order.length; k++, missing--) counts[order[k].i]++;
  return counts;
}
