/**
 * Class weights "balanced" as in scikit-learn (and the paper):
 * weight(c) = N / (C × count(c)), returned in `labels` order so index i is the
 * weight of the model's output i.
 *
 * A label without images gets weight 0 (it never appears in the loss) and is
 * not counted in C, so the weighted class totals still sum to N, as they would
 * had the label not been listed. Labels missing from `counts` count as 0.
 */
export function balancedClassWeights(labels: string[], counts: Record<string, number>): number[] {
  if (new Set(labels).size !== labels.length) throw new Error(`Labels must be unique, got ${labels.join(', ')}`);
  const labelCounts = labels.map((label) => {
    const count = Object.hasOwn(counts, label) ? counts[label] : 0;
    if (!Number.isFinite(count) || count < 0) throw new Error(`Image count for label ${label} must be 0 or more, got ${count}`);
    return count;
  });
  const total = labelCounts.reduce((sum, count) => sum + count, 0);
  const presentClasses = labelCounts.filter((count) => count > 0).length;
  return labelCounts.map((count) => (count > 0 ? total / (presentClasses * count) : 0));
}
