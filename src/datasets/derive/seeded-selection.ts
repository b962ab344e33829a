import { createHash } from 'node:crypto';
import { createRandom } from '../../kernel/random.js';
import type { LabeledImage } from '../dataset.record.js';

/**
 * The pure derivations of TRAIN: which images a subsample or an imbalance keeps, which labels
 * noise changes. Every choice follows one seeded order of the images, so the same parent, params
 * and seed choose the same images, and a smaller share is a prefix of a larger one (nesting).
 */

/** A 32-bit number from text, for seeding per-image generators. */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * The images in a seeded order that depends only on the seed and each image's identity (split,
 * label and content hash; the uri only for an image without a hash), not on insertion order or
 * where the files live: the same images in another folder are chosen alike. Ties keep their order.
 */
export function seededOrder<T extends LabeledImage>(images: readonly T[], seed: number): T[] {
  const keyed = images.map((image, index) => ({
    image,
    index,
    key: createHash('sha256').update(`${seed}\u0000${image.split}\u0000${image.label}\u0000${image.contentHash ?? `uri:${image.uri}`}`).digest('hex'),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return keyed.map((k) => k.image);
}

/** How many of `count` images a share keeps: the rounded share, at least one. */
export function keptCount(count: number, share: number): number {
  return Math.min(count, Math.max(1, Math.round(share * count)));
}

function byLabel<T extends LabeledImage>(images: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const image of images) groups.set(image.label, [...(groups.get(image.label) ?? []), image]);
  return groups;
}

/**
 * Keeps, of each label's TRAIN images, the first `count(label's total)` in its seeded order;
 * other splits unchanged. Returns the images in the parent's order.
 */
function keepTrainPrefixes<T extends LabeledImage>(images: readonly T[], seed: number, count: (label: string, total: number) => number): T[] {
  const kept = new Set<T>();
  for (const [label, group] of byLabel(images.filter((i) => i.split === 'TRAIN'))) {
    for (const image of seededOrder(group, seed).slice(0, count(label, group.length))) kept.add(image);
  }
  return images.filter((image) => image.split !== 'TRAIN' || kept.has(image));
}

/** SUBSAMPLE: `fraction` of each label's TRAIN images (rounded, at least one), or `perLabel` of them. */
export function subsample<T extends LabeledImage>(images: readonly T[], seed: number, params: { fraction?: number; perLabel?: number }): T[] {
  return keepTrainPrefixes(images, seed, (_, total) => (params.fraction != null ? keptCount(total, params.fraction) : Math.min(total, params.perLabel!)));
}

/** CLASS_IMBALANCE: `keepFraction` of one label's TRAIN images (same rounding), the others whole. */
export function classImbalance<T extends LabeledImage>(images: readonly T[], seed: number, params: { label: string; keepFraction: number }): T[] {
  return keepTrainPrefixes(images, seed, (label, total) => (label === params.label ? keptCount(total, params.keepFraction) : total));
}

/**
 * LABEL_NOISE: round(rate × |TRAIN|) TRAIN images, the first in the seeded order, get a label drawn
 * uniformly among the other TRAIN labels. Bytes and hashes stay, so the true label is traceable
 * through the parent's row with the same hash.
 */
export function labelNoise<T extends LabeledImage>(images: readonly T[], seed: number, params: { rate: number }): T[] {
  const train = images.filter((i) => i.split === 'TRAIN');
  const labels = [...new Set(train.map((i) => i.label))].sort();
  const random = createRandom(seed);
  const relabelled = new Map<T, string>();
  for (const image of seededOrder(train, seed).slice(0, Math.round(params.rate * train.length))) {
    const others = labels.filter((l) => l !== image.label);
    relabelled.set(image, others[Math.floor(random() * others.length)]);
  }
  return images.map((image) => (relabelled.has(image) ? { ...image, label: relabelled.get(image)! } : image));
}
