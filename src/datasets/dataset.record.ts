export type Split = 'TRAIN' | 'VALIDATION' | 'TEST';
export const SPLITS: readonly Split[] = ['TRAIN', 'VALIDATION', 'TEST'];

/** An image as a dataset lists it: where it is, its label and its split (before or after it is stored). */
export interface LabeledImage {
  uri: string;
  label: string;
  split: Split;
  /** SHA-256 of the file's bytes, hex; set by the generator and by imports. */
  contentHash?: string | null;
}

export type DerivationKind = 'SUBSAMPLE' | 'CLASS_IMBALANCE' | 'LABEL_NOISE' | 'CORRUPTION';

/** How a derived dataset was made from its parent: enough to make it again. */
export interface Derivation {
  kind: DerivationKind;
  params: Record<string, unknown>;
  seed: number;
}

export interface DatasetRecord {
  id: string;
  name: string;
  /** The dataset it was derived from; null for a created, imported or generated one. */
  parentId: string | null;
  derivation: Derivation | null;
  /** SHA-256 over the sorted (split, label, content hash) rows (see DatasetRepository.updateDigest). */
  digest: string;
  createdAt: Date;
}

export interface DatasetImageRecord {
  id: string;
  datasetId: string;
  uri: string;
  label: string;
  split: Split;
  contentHash: string | null;
}
