import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/kernel/random.js';
import { batches, countByLabel, stratifiedHoldout } from '../../../src/trainers/tfjs/data-splits.js';

const images = [
  ...Array.from({ length: 20 }, (_, i) => ({ uri: `a${i}`, label: 'A' })),
  ...Array.from({ length: 5 }, (_, i) => ({ uri: `b${i}`, label: 'B' })),
  { uri: 'c0', label: 'C' },
];

describe('stratifiedHoldout', () => {
  it('holds out the fraction per label, deterministically for a seed, without overlap', () => {
    const first = stratifiedHoldout(images, 0.2, createRandom(3));
    expect(countByLabel(first.validation)).toEqual({ A: 4, B: 1 });
    expect(countByLabel(first.train)).toEqual({ A: 16, B: 4, C: 1 });
    expect(new Set([...first.train, ...first.validation].map((i) => i.uri)).size).toBe(images.length);
    expect(stratifiedHoldout(images, 0.2, createRandom(3))).toEqual(first);
    expect(stratifiedHoldout(images, 0.2, createRandom(4)).validation).not.toEqual(first.validation);
  });
});

describe('batches', () => {
  it('cuts consecutive batches, the last one short', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
