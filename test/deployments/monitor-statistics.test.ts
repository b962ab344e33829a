import { describe, expect, it } from 'vitest';
import { confusionMatrix, downsampleMinMax, ksStatistic, populationStabilityIndex, predictedShare, PSI_FLOOR } from '../../src/deployments/monitor-statistics.js';

describe('monitor statistics, against values computed by hand', () => {
  it('predictedShare counts top labels', () => {
    expect(predictedShare([0, 0, 2, 1], 3)).toEqual([0.5, 0.25, 0.25]);
    expect(predictedShare([], 2)).toEqual([0, 0]);
  });

  it('PSI: Σ (a − r) ln(a / r), with empty bins floored at 1e-4', () => {
    // (0.5-0.25)ln2 + (0.25-0.25)·0 + (0.25-0.5)ln(0.5) = 0.25 ln2 + 0.25 ln2 = 0.5 ln 2
    expect(populationStabilityIndex([0.5, 0.25, 0.25], [0.25, 0.25, 0.5])).toBeCloseTo(0.5 * Math.log(2), 15);
    expect(populationStabilityIndex([0.3, 0.7], [0.3, 0.7])).toBe(0);
    // An empty window bin: (1e-4 - 0.5) ln(1e-4 / 0.5) + (1 - 0.5) ln(1 / 0.5)
    expect(PSI_FLOOR).toBe(1e-4);
    expect(populationStabilityIndex([0, 1], [0.5, 0.5])).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
  });

  it('KS: the largest gap between the two empirical CDFs, ties stepped together', () => {
    // a = {1,2,3}, b = {2,3,4,5}: at x=1 F_a=1/3, F_b=0 → 1/3; x=2: 2/3 vs 1/4 → 5/12; x=3: 1 vs 1/2 → 1/2; x=4: 1 vs 3/4.
    expect(ksStatistic([1, 2, 3], [2, 3, 4, 5])).toBeCloseTo(0.5, 15);
    expect(ksStatistic([0.9, 0.8], [0.1, 0.2, 0.3])).toBe(1);
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([5, 5], [5])).toBe(0);
    expect(ksStatistic([], [1])).toBe(0);
  });

  it('confusionMatrix puts truths in rows', () => {
    expect(confusionMatrix([{ truth: 0, predicted: 1 }, { truth: 1, predicted: 1 }, { truth: 0, predicted: 0 }], 2)).toEqual([[1, 1], [0, 1]]);
  });

  it('downsampleMinMax keeps each bucket\'s minimum and maximum in step order', () => {
    // Buckets [3,1,4,1] → 1 (step 1), 4 (step 2); [5,9,2,6] → 9 (step 5), 2 (step 6).
    const points = [3, 1, 4, 1, 5, 9, 2, 6].map((value, step) => ({ step, value }));
    expect(downsampleMinMax(points, 4).map((p) => p.value)).toEqual([1, 4, 9, 2]);
    expect(downsampleMinMax(points, 100)).toHaveLength(8);
  });
});
