import { mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, pgCode, PG } from '../kernel/sql.js';
import { badInput, conflict, isUuid, notFound } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import type { FileSettings } from '../kernel/domain-module.js';
import type { DatasetRecord, LabeledImage, Split } from './dataset.record.js';
import type { ClassCountRow, DatasetRepository } from './dataset.repository.js';
import { hashImageFiles } from './content-hash.js';
import { scanImageFolder } from './folder-scan.js';
import { generateSyntheticImages, type ProgressReporter } from './synthetic-images.js';

export const MAX_IMAGES_PER_DATASET = 200_000;
/** The largest `Dataset.images(first:)` page; the operation cost limit lets one whole page through. */
export const MAX_IMAGES_PAGE = 500;
/** Imports and generations log a progress line every this many images (OCT2017 has 84,484). */
export const PROGRESS_EVERY_IMAGES = 2_000;

const nameSchema = z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters');
const imageSchema = z.object({
  uri: z.string().min(1, 'uri must not be empty').max(2048, 'uri must be at most 2048 characters')
    .refine((uri) => !uri.includes('\0'), 'uri must not contain NUL bytes')
    // file:// names a file on this machine only: file:///path (or file://localhost/path). A host (file://server/share)
    // is a network share no trainer or route can read.
    .refine((uri) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || /^s3:\/\/[^/]+/i.test(uri) || /^file:\/\/(localhost)?\//i.test(uri),
      'uri must be a file path, file:///path or s3://bucket/key (a file:// URI naming a host is not a local file)'),
  label: z.string().trim().min(1, 'label must not be empty').max(200, 'label must be at most 200 characters'),
  split: z.enum(['TRAIN', 'VALIDATION', 'TEST']),
  contentHash: z.string().max(128).nullish(),
});
const createDatasetSchema = z.object({
  name: nameSchema,
  images: z.array(imageSchema).min(1, 'a dataset needs at least one image').max(MAX_IMAGES_PER_DATASET, `a dataset holds at most ${MAX_IMAGES_PER_DATASET} images`),
});

const importSchema = z.object({
  name: nameSchema,
  path: z.string().min(1, 'path must not be empty').max(4096).refine((p) => !p.includes('\0'), 'path must not contain NUL bytes'),
});
const syntheticSchema = z.object({
  name: nameSchema,
  imagesPerLabel: z.number().int().min(3, 'imagesPerLabel must be at least 3 (one per split)').max(2000, 'imagesPerLabel must be at most 2000'),
  imageSize: z.number().int().min(16, 'imageSize must be at least 16').max(512, 'imageSize must be at most 512').nullish().transform((v) => v ?? 128),
  seed: z.number().int().nullish().transform((v) => v ?? 1),
});

export class DatasetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DatasetRepository,
    private readonly files: FileSettings,
    private readonly log?: Pick<Logger, 'info'>,
  ) {}

  /** Progress log lines for a long import or generation; quiet without a logger. */
  private progress(what: string, name: string): ProgressReporter | undefined {
    const log = this.log;
    if (!log) return undefined;
    const started = Date.now();
    return {
      every: PROGRESS_EVERY_IMAGES,
      report: (done, total) => log.info({ dataset: name, done, total, seconds: Math.round((Date.now() - started) / 1000) }, `${what}: ${done}/${total} images`),
    };
  }

  findByIds(ids: readonly string[]): Promise<DatasetRecord[]> {
    return this.repository.findByIds(ids.filter(isUuid));
  }

  list(): Promise<DatasetRecord[]> {
    return this.repository.listNewestFirst();
  }

  async require(id: string): Promise<DatasetRecord> {
    const [dataset] = isUuid(id) ? await this.repository.findByIds([id]) : [];
    if (!dataset) throw notFound('dataset', id);
    return dataset;
  }

  async create(input: { name: string; images: LabeledImage[] }): Promise<DatasetRecord> {
    const { name, images } = parseInput(createDatasetSchema, input);
    return this.insert(name, images);
  }

  /** Inserts a dataset whose images were already validated (imports, generators). */
  async insert(name: string, images: LabeledImage[]): Promise<DatasetRecord> {
    try {
      return await inTransaction(this.dataSource, (tx) => this.repository.insert(tx, name, images));
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) {
        const existing = await this.repository.findByName(name);
        throw conflict(`a dataset named "${name}" already exists${existing ? ` (id ${existing.id})` : ''}; choose another name`, { existingId: existing?.id });
      }
      throw error;
    }
  }

  /** A folder laid out <split>/<label>/<image>, which must sit inside one of the import roots. */
  async importFolder(input: unknown): Promise<DatasetRecord> {
    const { name, path: requested } = parseInput(importSchema, input, 'input');
    const folder = await this.resolveImportPath(requested);
    await this.assertNameFree(name);
    const scanned = await scanImageFolder(folder).catch((error: Error) => {
      throw badInput(`input.path: ${error.message}`);
    });
    if (scanned.length > MAX_IMAGES_PER_DATASET) {
      throw badInput(`input.path: ${scanned.length} images found; a dataset holds at most ${MAX_IMAGES_PER_DATASET}`);
    }
    const images = await hashImageFiles(scanned, { progress: this.progress('importing (hashing)', name) }).catch((error: Error) => {
      throw badInput(`input.path: ${error.message}`);
    });
    return this.insert(name, images);
  }

  /**
   * Generates OCT-like images (four classes) on disk and registers them, laid out like the paper's
   * data: TRAIN in OCT2017's class ratio (largest class = imagesPerLabel), a balanced TEST split,
   * no VALIDATION split (the trainer holds out 20% of TRAIN).
   */
  async generateSynthetic(input: unknown): Promise<DatasetRecord> {
    const options = parseInput(syntheticSchema, input, 'input');
    await this.assertNameFree(options.name);
    const dir = path.join(this.files.dataDir, 'datasets', randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      const images = await generateSyntheticImages({
        dir, imagesPerLabel: options.imagesPerLabel, imageSize: options.imageSize, seed: options.seed, layout: 'oct2017',
        progress: this.progress('generating', options.name),
      });
      return await this.insert(options.name, images);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private async resolveImportPath(requested: string): Promise<string> {
    const roots = this.files.importRoots;
    const allowed = roots.length ? roots.join(', ') : '(none configured)';
    let resolved: string;
    try {
      resolved = await realpath(path.resolve(requested));
    } catch {
      throw badInput(`input.path: ${requested} does not exist or cannot be read; import roots: ${allowed}`);
    }
    const inside = roots.some((root) => resolved === root || resolved.startsWith(root + path.sep));
    if (!inside) throw badInput(`input.path: ${requested} is outside the folders this server may import from (EPOCHAL_IMPORT_ROOTS: ${allowed})`);
    return resolved;
  }

  /** Whether `uri` is an image of this dataset's split and label (the image route serves nothing else). */
  async hasImage(image: { datasetId: string; split: Split; label: string; uri: string }): Promise<boolean> {
    return isUuid(image.datasetId) && this.repository.hasImage(image);
  }

  childrenOf(parentIds: readonly string[]): Promise<DatasetRecord[]> {
    return this.repository.childrenOf(parentIds.filter(isUuid));
  }

  /** Digests of the datasets' TEST splits (see the repository); a dataset without TEST images has none. */
  testSetDigests(datasetIds: readonly string[]) {
    return this.repository.testSetDigests(datasetIds.filter(isUuid));
  }

  classCounts(datasetIds: readonly string[]): Promise<ClassCountRow[]> {
    return this.repository.classCounts(datasetIds);
  }

  async images(datasetId: string, filter: { split?: Split | null; label?: string | null; first: number }) {
    if (filter.first < 0 || filter.first > MAX_IMAGES_PAGE) throw badInput(`first must be between 0 and ${MAX_IMAGES_PAGE}`);
    return this.repository.images(datasetId, { split: filter.split, label: filter.label, limit: filter.first });
  }

  /** Every image of a dataset (up to MAX_IMAGES_PER_DATASET rows), for training workers; not exposed to the API. */
  allImages(datasetId: string) {
    return this.repository.allImages(datasetId);
  }

  /** Names a dataset not yet taken, for generated datasets. */
  async assertNameFree(name: string): Promise<string> {
    const parsed = parseInput(nameSchema, name, 'name');
    const existing = await this.repository.findByName(parsed);
    if (existing) throw conflict(`a dataset named "${parsed}" already exists (id ${existing.id}); choose another name`, { existingId: existing.id });
    return parsed;
  }
}
