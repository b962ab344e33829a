import { EntitySchema } from 'typeorm';

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

export const DatasetEntity = new EntitySchema<DatasetRecord>({
  name: 'Dataset',
  tableName: 'datasets',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'text', unique: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});

export const DatasetImageEntity = new EntitySchema<DatasetImageRecord>({
  name: 'DatasetImage',
  tableName: 'dataset_images',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    datasetId: { name: 'dataset_id', type: 'uuid' },
    uri: { type: 'text' },
    label: { type: 'text' },
    split: { type: 'text' },
    contentHash: { name: 'content_hash', type: 'text', nullable: true },
  },
});
