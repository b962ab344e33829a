import type { LabeledImage as DatasetLabeledImage } from '../../datasets/dataset.record.js';

/** Splitting and batching image lists for training; pure functions of a seeded random source. */

/** What splitting and batching need of an image. */
export type LabeledImage = Pick<DatasetLabeledImage, 'uri' | 'label'>;

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Holds out `fraction` of each label's images for validation (stratified), keeping at least one
 * training image per label and, for labels with two or more images, at least one for validation.
 */
export function stratifiedHoldout<T extends LabeledImage>(
  images: readonly T[],
  fraction: number,
  random: () => number,
): { train: T[]; validation: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const image of images) {
    const group = byLabel.get(image.label) ?? [];
    group.push(image);
    byLabel.set(image.label, group);
  }
  const train: T[] = [];
  const validation: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffled(byLabel.get(label)!, random);
    const held = group.length < 2 ? 0 : Math.min(group.length - 1, Math.max(1, Math.round(group.length * fraction)));
    validation.push(...group.slice(0, held));
    train.push(...group.slice(held));
  }
  return { train, validation };
}

/** Consecutive batches of at most `size` items. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function countByLabel(images: readonly LabeledImage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const image of images) counts[image.label] = (counts[image.label] ?? 0) + 1;
  return counts;
}
