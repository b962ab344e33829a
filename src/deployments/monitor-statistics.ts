/**
 * The monitor's statistics, pure and exact (tested against hand-computed
 * values in test/deployments/monitor-statistics.test.ts).
 */

/**
 * PSI treats an empty bin as this share, on either side: ln(a/r) is infinite
 * for a zero share, and one label missing from a window of 100 predictions
 * (< 1%) should read as a large shift, not as infinity. 1e-4 is below what a
 * window of up to 10,000 predictions can show (1/10,000).
 */
export const PSI_FLOOR = 1e-4;

/** Share of each of `k` labels among `predicted` (label indexes); zeros for none. */
export function predictedShare(predicted: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const p of predicted) counts[p]++;
  return counts.map((c) => (predicted.length ? c / predicted.length : 0));
}

/** Population stability index of `actual` against `reference` shares: Σ (a − r) · ln(a / r), each share floored at PSI_FLOOR. */
export function populationStabilityIndex(actual: readonly number[], reference: readonly number[]): number {
  if (actual.length !== reference.length) throw new Error(`PSI needs shares over the same labels (${actual.length} vs ${reference.length})`);
  let psi = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = Math.max(actual[i], PSI_FLOOR);
    const r = Math.max(reference[i], PSI_FLOOR);
    psi += (a - r) * Math.log(a / r);
  }
  return psi;
}

/**
 * Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two
 * empirical distribution functions, sup_x |F_a(x) − F_b(x)|, with ties
 * stepped together (as scipy.stats.ks_2samp). 0 when either sample is empty.
 */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
}

/** The index of the highest score (the first on ties). */
export function argMax(scores: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
  return best;
}

/** A confusion matrix (rows true, columns predicted) over pairs of label indexes. */
export function confusionMatrix(pairs: readonly { truth: number; predicted: number }[], k: number): number[][] {
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const { truth, predicted } of pairs) matrix[truth][predicted]++;
  return matrix;
}

/**
 * At most `maxPoints` points of a series keeping its shape: the series is cut
 * into maxPoints/2 buckets and each keeps its minimum and maximum, in step
 * order (as the run metric series do).
 */
export function downsampleMinMax<P extends { step: number; value: number }>(points: readonly P[], maxPoints: number): P[] {
  if (points.length <= maxPoints) return [...points];
  const buckets = Math.floor(maxPoints / 2);
  const out: P[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = points.slice(Math.floor((b * points.length) / buckets), Math.floor(((b + 1) * points.length) / buckets));
    if (slice.length === 0) continue;
    let lo = slice[0];
    let hi = slice[0];
    for (const p of slice) {
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.step < hi.step ? [lo, hi] : [hi, lo]));
  }
  return out;
}
