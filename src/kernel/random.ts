/**
 * A seeded PRNG (mulberry32) returning floats in [0, 1), so a run with a seed
 * augments identically when repeated. `null` means unseeded (Math.random).
 */
export function createRandom(seed: number | null): () => number {
  if (seed === null) return Math.random;
  if (!Number.isFinite(seed)) throw new Error(`Random seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
