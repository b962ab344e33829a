/**
 * The figures of one curve point: mean, sample standard deviation and the 95% confidence interval
 * of the mean with Student's t, over the values of an arm's runs (one per seed).
 */
export interface PointStatistics {
  runs: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below 2 values. */
  std: number | null;
  /** mean ∓ t(0.975, n − 1) · std / √n; null below 2 values. */
  low: number | null;
  high: number | null;
}

/** t(0.975, df) for df = 1..30 (scipy.stats.t.ppf(0.975, df), to double precision). */
const T_975 = [12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934, 2.5705818356363146, 2.4469118511449786, 2.364624251592784, 2.306004135204166, 2.262157162798205, 2.228138851986274, 2.200985160091639, 2.1788128296672284, 2.1603686564627913, 2.144786687917804, 2.131449545559776, 2.1199052992212546, 2.1098155778333156, 2.1009220402410382, 2.0930240544083087, 2.085963447265864, 2.0796138447276795, 2.0738730679040254, 2.0686576104190486, 2.0638985616280245, 2.0595385527532972, 2.0555294386428735, 2.0518305164802846, 2.0484071417952454, 2.045229642132703, 2.0422724563012378];
/** The standard normal's 97.5% quantile. */
const Z_975 = 1.959963984540054;

/**
 * Student's t 97.5% quantile for `df` degrees of freedom: the table up to 30, above it the
 * Cornish-Fisher expansion around the normal quantile (error below 1e-7 from df = 30 on).
 */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T_975.length) return T_975[df - 1];
  const z = Z_975;
  const [z3, z5, z7, z9] = [z ** 3, z ** 5, z ** 7, z ** 9];
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

export function pointStatistics(values: readonly number[]): PointStatistics {
  const n = values.length;
  if (n === 0) return { runs: 0, mean: null, std: null, low: null, high: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { runs: 1, mean, std: null, low: null, high: null };
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentT975(n - 1) * std) / Math.sqrt(n);
  return { runs: n, mean, std, low: mean - half, high: mean + half };
}
