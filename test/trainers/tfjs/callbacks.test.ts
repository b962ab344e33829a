import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BestCheckpoint, CsvEpochLog, EarlyStopping, ReduceLrOnPlateau } from '../../../src/trainers/tfjs/callbacks.js';
import { tempDir } from '../../support/temp-dir.js';

describe('BestCheckpoint', () => {
  it('keeps the epoch with the lowest value', () => {
    const best = new BestCheckpoint();
    expect([1.0, 0.8, 0.9, 0.7999, 0.85].map((v, i) => best.update(v, i))).toEqual([true, true, false, true, false]);
    expect(best.bestEpoch).toBe(3);
    expect(best.best).toBe(0.7999);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without an improvement of more than min delta', () => {
    const stopping = new EarlyStopping(2, 0.001);
    // 0.9995 improves by less than 0.001 on 1.0: not an improvement.
    expect([1.0, 0.9995, 0.98, 0.9799, 0.99].map((v) => stopping.update(v))).toEqual([false, false, false, false, true]);
  });

  it('is off with patience 0', () => {
    const stopping = new EarlyStopping(0);
    expect([1, 2, 3, 4, 5, 6].some((v) => stopping.update(v))).toBe(false);
  });
});

describe('ReduceLrOnPlateau', () => {
  it('multiplies the learning rate by 0.1 after `patience` epochs without improvement, then waits again', () => {
    const reduce = new ReduceLrOnPlateau(2, 0.1);
    let lr = 1e-3;
    const changes: (number | null)[] = [];
    for (const v of [1.0, 0.9, 0.95, 0.92, 0.93, 0.94, 0.8]) {
      const next = reduce.update(v, lr);
      changes.push(next);
      if (next !== null) lr = next;
    }
    expect(changes.map((c) => (c === null ? null : Number(c.toPrecision(6))))).toEqual([null, null, null, 1e-4, null, 1e-5, null]);
  });

  it('is off with patience 0', () => {
    const reduce = new ReduceLrOnPlateau(0);
    expect([1, 2, 3, 4].map((v) => reduce.update(v, 0.1))).toEqual([null, null, null, null]);
  });
});

describe('CsvEpochLog', () => {
  it("writes Keras CSVLogger's columns, NA for missing values", async () => {
    const dir = tempDir('epochal-csv-');
    const log = new CsvEpochLog(path.join(dir, 'sub', 'epochs.csv'));
    await log.append({ epoch: 0, accuracy: 0.5, loss: 1.25, lr: 0.001, valAccuracy: 0.25, valLoss: 1.5 });
    await log.append({ epoch: 1, accuracy: 0.75, loss: 0.5, lr: 0.0001, valAccuracy: null, valLoss: null });
    expect(await readFile(path.join(dir, 'sub', 'epochs.csv'), 'utf8')).toBe(
      'epoch,accuracy,loss,lr,val_accuracy,val_loss\n0,0.5,1.25,0.001,0.25,1.5\n1,0.75,0.5,0.0001,NA,NA\n',
    );
  });
});
