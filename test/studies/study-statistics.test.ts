import { describe, expect, it } from 'vitest';
import { pointStatistics, studentT975 } from '../../src/studies/study-statistics.js';

describe('pointStatistics', () => {
  it('gives mean, sample std and the Student-t 95% interval, as computed by hand', () => {
    // 0.8, 0.9, 1.0: mean 0.9; deviations ±0.1, 0 → variance 0.02 / 2 = 0.01, std 0.1;
    // half width t(0.975, 2) × 0.1 / √3 = 4.302652729749462 × 0.0577350269189626 = 0.24841377...
    const s = pointStatistics([0.8, 0.9, 1.0]);
    expect(s.runs).toBe(3);
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.std).toBeCloseTo(0.1, 12);
    expect(s.low).toBeCloseTo(0.9 - 0.248413771, 8);
    expect(s.high).toBeCloseTo(0.9 + 0.248413771, 8);
    // Two values 0.5 and 0.7: mean 0.6, std √0.02 = 0.141421356; half 12.706204736 × 0.141421356 / √2 = 1.2706204736.
    const two = pointStatistics([0.5, 0.7]);
    expect(two.std).toBeCloseTo(0.141421356, 8);
    expect(two.low).toBeCloseTo(0.6 - 1.2706204736, 8);
  });

  it('has no spread or interval below two values, and nothing for none', () => {
    expect(pointStatistics([0.7])).toEqual({ runs: 1, mean: 0.7, std: null, low: null, high: null });
    expect(pointStatistics([])).toEqual({ runs: 0, mean: null, std: null, low: null, high: null });
  });

  it("matches Student's t quantiles from the table and beyond it", () => {
    expect(studentT975(1)).toBeCloseTo(12.706204736, 8);
    expect(studentT975(4)).toBeCloseTo(2.776445105, 8);
    expect(studentT975(30)).toBeCloseTo(2.042272456, 8);
    // scipy.stats.t.ppf(0.975, df) for df = 31, 60, 200
    expect(studentT975(31)).toBeCloseTo(2.039513446, 6);
    expect(studentT975(60)).toBeCloseTo(2.000297822, 7);
    expect(studentT975(200)).toBeCloseTo(1.971896224, 8);
    expect(() => studentT975(0)).toThrow(/positive integer/);
  });
});
