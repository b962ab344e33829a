import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The paper's Keras callbacks on val_loss, as plain classes the training loop drives once per
 * epoch. Each takes the monitored value (lower is better) and says what to do.
 */

/** ModelCheckpoint(save_best_only=True): any decrease counts, as in Keras (no min delta). */
export class BestCheckpoint {
  best = Number.POSITIVE_INFINITY;
  bestEpoch = -1;

  /** True when this epoch is the best so far (the caller keeps its weights). */
  update(value: number, epoch: number): boolean {
    if (!(value < this.best)) return false;
    this.best = value;
    this.bestEpoch = epoch;
    return true;
  }
}

/** EarlyStopping(min_delta, patience); patience 0 turns it off (the API's convention). */
export class EarlyStopping {
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;

  constructor(
    readonly patience: number,
    readonly minDelta = 0.001,
  ) {}

  /** True when training should stop after this epoch. */
  update(value: number): boolean {
    if (this.patience <= 0) return false;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.wait = 0;
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }
}

/** ReduceLROnPlateau(factor, patience, min_delta=1e-4 as Keras); patience 0 turns it off. */
export class ReduceLrOnPlateau {
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;

  constructor(
    readonly patience: number,
    readonly factor = 0.1,
    readonly minDelta = 1e-4,
    readonly minLearningRate = 0,
  ) {}

  /** The new learning rate when it is to be reduced after this epoch, else null. */
  update(value: number, learningRate: number): number | null {
    if (this.patience <= 0) return null;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.wait = 0;
      return null;
    }
    this.wait++;
    if (this.wait < this.patience) return null;
    this.wait = 0;
    const reduced = Math.max(learningRate * this.factor, this.minLearningRate);
    return reduced < learningRate ? reduced : null;
  }
}

export interface CsvEpochRow {
  epoch: number;
  accuracy: number;
  loss: number;
  lr: number;
  valAccuracy: number | null;
  valLoss: number | null;
}

/** Keras CSVLogger's layout: 'epoch' then the metric keys sorted by name; missing values 'NA'. */
export const CSV_COLUMNS = ['epoch', 'accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss'] as const;

export function formatCsvRow(row: CsvEpochRow): string {
  const cell = (value: number | null) => (value === null || !Number.isFinite(value) ? 'NA' : String(value));
  return [String(row.epoch), cell(row.accuracy), cell(row.loss), cell(row.lr), cell(row.valAccuracy), cell(row.valLoss)].join(',');
}

/** A CSV epoch log written as it goes, so a failed run still leaves the epochs it finished. */
export class CsvEpochLog {
  private started = false;

  constructor(readonly file: string) {}

  async append(row: CsvEpochRow): Promise<void> {
    if (!this.started) {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(this.file, `${CSV_COLUMNS.join(',')}\n`);
      this.started = true;
    }
    await appendFile(this.file, `${formatCsvRow(row)}\n`);
  }
}
