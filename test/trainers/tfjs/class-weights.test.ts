import { describe, expect, it } from 'vitest';
import { balancedClassWeights } from '../../../src/trainers/tfjs/class-weights.js';

describe('balancedClassWeights', () => {
  it('matches sklearn "balanced" on the OCT2017 training counts', () => {
    const counts = { CNV: 37_205, DME: 11_348, DRUSEN: 8_616, NORMAL: 26_315 };
    const weights = balancedClassWeights(['CNV', 'DME', 'DRUSEN', 'NORMAL'], counts);
    const expected = [0.5609729875016799, 1.8391787099048291, 2.4223537604456826, 0.7931217936538096];
    weights.forEach((weight, i) => expect(weight).toBeCloseTo(expected[i], 12));
  });

  it('follows the order of labels, not of counts', () => {
    expect(balancedClassWeights(['B', 'A'], { A: 10, B: 30 })).toEqual([40 / 60, 2]);
  });

  it('gives equal classes weight 1', () => {
    expect(balancedClassWeights(['A', 'B', 'C'], { A: 7, B: 7, C: 7 })).toEqual([1, 1, 1]);
  });

  it('gives 0 to a label without images and leaves it out of C', () => {
    expect(balancedClassWeights(['A', 'B', 'EMPTY', 'MISSING'], { A: 10, B: 30, EMPTY: 0 })).toEqual([2, 40 / 60, 0, 0]);
    expect(balancedClassWeights(['A'], {})).toEqual([0]);
  });

  it('rejects negative counts and duplicate labels', () => {
    expect(() => balancedClassWeights(['A'], { A: -1 })).toThrow(/label A/);
    expect(() => balancedClassWeights(['A', 'A'], { A: 1 })).toThrow(/unique/);
  });
});
