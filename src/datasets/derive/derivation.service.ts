import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { badInput, conflict, isUuid, notFound } from '../../kernel/errors.js';
import type { FileSettings } from '../../kernel/domain-module.js';
import { localPathOf, resolveInsideRoots, sniffImageType } from '../../kernel/served-files.js';
import { inTransaction, pgCode, PG, type SqlRunner } from '../../kernel/sql.js';
import type { DatasetRecord, Derivation, LabeledImage, Split } from '../dataset.record.js';
import type { DatasetRepository } from '../dataset.repository.js';
import { corruptImages } from './corruption.js';
import { describeDerivation, parseDeriveInput, type CorruptionKind, type DeriveRequest } from './derive-input.js';
import { classImbalance, labelNoise, subsample } from './seeded-selection.js';

/** A derived dataset ready to be recorded: its images computed (and corruption's files written), or the child made before. */
export interface DerivedPlan {
  parent: DatasetRecord;
  name: string;
  derivation: Derivation;
  images: LabeledImage[];
  /** The same derivation of the same parent, made earlier: deriving again answers it. */
  existing: DatasetRecord | null;
}

/**
 * deriveDataset: a child of a dataset made by one seeded transformation and recorded with its
 * lineage. Rows reference the parent's files (no copy), except corruption's new ones, written
 * under <dataDir>/derived/. Everything is checked before anything is written.
 */
export class DerivationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DatasetRepository,
    private readonly files: FileSettings,
  ) {}

  async derive(input: unknown): Promise<DatasetRecord> {
    const request = parseDeriveInput(input);
    if (!request.parentId) throw badInput('input.parentId: the dataset to derive from is required');
    const plan = await this.prepare(request);
    return inTransaction(this.dataSource, (tx) => this.record(tx, plan));
  }

  /** Checks a request against its parent and computes the child's images; `field` names it in errors. */
  async prepare(request: DeriveRequest, field = 'input'): Promise<DerivedPlan> {
    const parentId = request.parentId ?? '';
    const [parent] = isUuid(parentId) ? await this.repository.findByIds([parentId]) : [];
    if (!parent) throw notFound('dataset', parentId);
    const { derivation } = request;
    const name = request.name ?? `${parent.name} · ${describeDerivation(derivation)} (seed ${derivation.seed})`;
    const existing = await this.repository.findDerived(this.dataSource, parent.id, derivation);
    if (existing) return { parent, name: existing.name, derivation, images: [], existing };
    const taken = await this.repository.findByName(name);
    if (taken) throw conflict(`${field}.name: a dataset named "${name}" already exists (id ${taken.id}); choose another name`, { existingId: taken.id });
    const parentImages: LabeledImage[] = (await this.repository.allImages(parent.id)).map(({ uri, label, split, contentHash }) => ({ uri, label, split, contentHash }));
    const images = await this.apply(parent, parentImages, derivation, field);
    return { parent, name, derivation, images, existing: null };
  }

  /** Records the plan in the caller's transaction; the earlier child when the derivation was made before. */
  async record(tx: SqlRunner, plan: DerivedPlan): Promise<DatasetRecord> {
    if (plan.existing) return plan.existing;
    try {
      return await this.repository.insert(tx, plan.name, plan.images, { parentId: plan.parent.id, derivation: plan.derivation });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict(`a dataset named "${plan.name}" or made by the same derivation was just created; derive again to get it`);
      throw error;
    }
  }

  private async apply(parent: DatasetRecord, images: LabeledImage[], derivation: Derivation, field: string): Promise<LabeledImage[]> {
    const { seed, params } = derivation;
    const train = images.filter((i) => i.split === 'TRAIN');
    const trainLabels = [...new Set(train.map((i) => i.label))].sort();
    switch (derivation.kind) {
      case 'SUBSAMPLE':
        if (train.length === 0) throw badInput(`${field}.subsample: dataset "${parent.name}" has no TRAIN images to subsample`);
        return subsample(images, seed, params as { fraction?: number; perLabel?: number });
      case 'CLASS_IMBALANCE': {
        const { label } = params as { label: string; keepFraction: number };
        if (!trainLabels.includes(label)) {
          throw badInput(`${field}.classImbalance.label: "${label}" is not a TRAIN label of dataset "${parent.name}" (its labels: ${trainLabels.join(', ') || 'none'})`);
        }
        return classImbalance(images, seed, params as { label: string; keepFraction: number });
      }
      case 'LABEL_NOISE':
        if (trainLabels.length < 2) throw badInput(`${field}.labelNoise: dataset "${parent.name}" has ${trainLabels.length} TRAIN label(s); noise needs at least 2`);
        return labelNoise(images, seed, params as { rate: number });
      case 'CORRUPTION':
        return this.corrupt(parent, images, derivation, field);
    }
  }

  private async corrupt(parent: DatasetRecord, images: LabeledImage[], derivation: Derivation, field: string): Promise<LabeledImage[]> {
    const { kind, severity, splits } = derivation.params as { kind: CorruptionKind; severity: number; splits: Split[] };
    const empty = splits.filter((split) => !images.some((i) => i.split === split));
    if (empty.length) throw badInput(`${field}.corruption.splits: dataset "${parent.name}" has no ${empty.join(', ')} images to corrupt`);
    // Every file is checked before any is written: only local images inside the server's folders.
    const roots = [...this.files.importRoots, this.files.dataDir];
    const readable = new Map<LabeledImage, string>();
    for (const image of images.filter((i) => splits.includes(i.split))) {
      const local = localPathOf(image.uri);
      if (!local) throw badInput(`${field}.corruption: image ${image.uri} is not a local file; corruption reads images on this server only`);
      const file = await resolveInsideRoots(local, roots).catch((error: Error) => {
        throw badInput(`${field}.corruption: ${error.message}`);
      });
      if (!(await sniffImageType(file))) throw badInput(`${field}.corruption: ${image.uri} is not a PNG, JPEG, GIF, WebP or BMP image`);
      readable.set(image, file);
    }
    const folder = `${kind.toLowerCase()}-${severity}-${splits.join('-').toLowerCase()}-seed${derivation.seed}`;
    const dir = path.join(this.files.dataDir, 'derived', parent.id, folder);
    try {
      return await corruptImages({ images, splits, kind, severity, seed: derivation.seed, dir, readable: async (image) => readable.get(image)! });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw badInput(`${field}.corruption: could not corrupt the images of "${parent.name}": ${(error as Error).message}`);
    }
  }
}
