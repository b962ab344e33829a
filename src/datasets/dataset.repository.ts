import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { DatasetImageRecord, DatasetRecord, Derivation, LabeledImage, Split } from './dataset.record.js';

const COLUMNS = `id, name, parent_id AS "parentId", derivation, digest, created_at AS "createdAt"`;

export interface ClassCountRow {
  datasetId: string;
  split: Split;
  label: string;
  count: number;
}

/** The only code that touches the datasets tables. */
export class DatasetRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<DatasetRecord[]> {
    return this.dataSource.query(
      `/* findDatasetsByIds */ SELECT ${COLUMNS} FROM datasets WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * Per dataset, a SHA-256 over its TEST split's sorted (label, content hash or,
   * without one, uri) rows: equal digests, the same test set.
   */
  testSetDigests(ids: readonly string[]): Promise<{ datasetId: string; digest: string; images: number }[]> {
    return this.dataSource.query(
      `/* testSetDigests */ SELECT dataset_id AS "datasetId", count(*)::int AS images,
         encode(sha256(convert_to(string_agg(label || E'\t' || coalesce(content_hash, uri), E'\n' ORDER BY label, coalesce(content_hash, uri)), 'UTF8')), 'hex') AS digest
       FROM dataset_images WHERE dataset_id = ANY($1::uuid[]) AND split = 'TEST' GROUP BY dataset_id`,
      [ids],
    );
  }

  listNewestFirst(): Promise<DatasetRecord[]> {
    return this.dataSource.query(`/* listDatasets */ SELECT ${COLUMNS} FROM datasets ORDER BY created_at DESC`);
  }

  async findByName(name: string): Promise<DatasetRecord | null> {
    const rows = await this.dataSource.query(`/* findDatasetByName */ SELECT ${COLUMNS} FROM datasets WHERE name = $1`, [name]);
    return rows[0] ?? null;
  }

  /** Whether `uri` is an image of this dataset's split and label: the image route serves nothing else. */
  async hasImage(image: { datasetId: string; split: string; label: string; uri: string }): Promise<boolean> {
    const rows = await this.dataSource.query(
      `/* datasetImageByUri */ SELECT 1 FROM dataset_images WHERE dataset_id = $1 AND split = $2 AND label = $3 AND uri = $4 LIMIT 1`,
      [image.datasetId, image.split, image.label, image.uri],
    );
    return rows.length > 0;
  }

  /** The children of these datasets, oldest first. */
  childrenOf(parentIds: readonly string[]): Promise<DatasetRecord[]> {
    return this.dataSource.query(
      `/* datasetChildren */ SELECT ${COLUMNS} FROM datasets WHERE parent_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [parentIds],
    );
  }

  /** The child made from `parentId` by exactly this derivation, if one was made before. */
  async findDerived(runner: SqlRunner, parentId: string, derivation: Derivation): Promise<DatasetRecord | null> {
    const rows = await runner.query(
      `/* findDerivedDataset */ SELECT ${COLUMNS} FROM datasets WHERE parent_id = $1 AND derivation = $2::jsonb`,
      [parentId, JSON.stringify(derivation)],
    );
    return rows[0] ?? null;
  }

  /**
   * One statement for the dataset row, one for all its images and one for its digest, in the
   * caller's transaction. A derived dataset names its parent and how it was made.
   */
  async insert(tx: SqlRunner, name: string, images: LabeledImage[], lineage?: { parentId: string; derivation: Derivation }): Promise<DatasetRecord> {
    const [dataset] = await tx.query<DatasetRecord[]>(
      `/* insertDataset */ INSERT INTO datasets (name, parent_id, derivation) VALUES ($1, $2, $3::jsonb) RETURNING ${COLUMNS}`,
      [name, lineage?.parentId ?? null, lineage ? JSON.stringify(lineage.derivation) : null],
    );
    if (images.length > 0) {
      await tx.query(
        `/* insertDatasetImages */ INSERT INTO dataset_images (dataset_id, uri, label, split, content_hash)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
        [dataset.id, images.map((i) => i.uri), images.map((i) => i.label), images.map((i) => i.split), images.map((i) => i.contentHash ?? null)],
      );
    }
    return { ...dataset, digest: await this.updateDigest(tx, dataset.id) };
  }

  /**
   * SHA-256 (hex) over the dataset's rows sorted by (split, label, content hash) in byte order,
   * each written `split<TAB>label<TAB>hash` and joined by newlines: equal images and labels give
   * an equal digest whatever the uris and the insertion order. An image without a hash counts as ''.
   */
  private async updateDigest(tx: SqlRunner, datasetId: string): Promise<string> {
    const [row] = await tx.query<{ digest: string }[]>(
      `/* updateDatasetDigest */ WITH computed AS (SELECT encode(sha256(convert_to(coalesce(string_agg(
          i.split || E'\\t' || i.label || E'\\t' || coalesce(i.content_hash, ''), E'\\n'
          ORDER BY i.split COLLATE "C", i.label COLLATE "C", coalesce(i.content_hash, '') COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
        FROM dataset_images i WHERE i.dataset_id = $1),
       updated AS (UPDATE datasets SET digest = (SELECT digest FROM computed) WHERE id = $1 RETURNING digest)
       SELECT digest FROM updated`,
      [datasetId],
    );
    return row.digest;
  }

  classCounts(datasetIds: readonly string[]): Promise<ClassCountRow[]> {
    return this.dataSource.query(
      `/* datasetClassCounts */ SELECT dataset_id AS "datasetId", split, label, count(*)::int AS count
       FROM dataset_images WHERE dataset_id = ANY($1::uuid[])
       GROUP BY dataset_id, split, label ORDER BY dataset_id, array_position(ARRAY['TRAIN','VALIDATION','TEST'], split), label`,
      [datasetIds],
    );
  }

  /** Every image of a dataset, in insertion order: what a training worker trains on. */
  allImages(datasetId: string): Promise<DatasetImageRecord[]> {
    return this.dataSource.query(
      `/* allDatasetImages */ SELECT id, dataset_id AS "datasetId", uri, label, split, content_hash AS "contentHash"
       FROM dataset_images WHERE dataset_id = $1 ORDER BY id`,
      [datasetId],
    );
  }

  images(datasetId: string, filter: { split?: Split | null; label?: string | null; limit: number; offset?: number }): Promise<DatasetImageRecord[]> {
    return this.dataSource.query(
      `/* datasetImages */ SELECT id, dataset_id AS "datasetId", uri, label, split, content_hash AS "contentHash"
       FROM dataset_images WHERE dataset_id = $1 AND ($2::text IS NULL OR split = $2) AND ($3::text IS NULL OR label = $3)
       ORDER BY id LIMIT $4 OFFSET $5`,
      [datasetId, filter.split ?? null, filter.label ?? null, filter.limit, filter.offset ?? 0],
    );
  }
}
