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

export interface DatasetRecord {
  id: string;
  name: string;
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
