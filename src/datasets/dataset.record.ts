export type Split = 'TRAIN' | 'VALIDATION' | 'TEST';
export const SPLITS: readonly Split[] = ['TRAIN', 'VALIDATION', 'TEST'];

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
