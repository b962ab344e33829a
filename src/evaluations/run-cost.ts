import type { RunRecord } from '../runs/run.record.js';

/** What one run took to train, on what, and what it cost: the columns the study drew by hand beside F1. */
export interface RunCost {
  runId: string;
  trainingSeconds: number | null;
  billedTrainingSeconds: number | null;
  engine: string | null;
  estimatedCostUsd: number | null;
  costBasis: string;
}

const finiteNumber = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * REKOGNITION: the cost its trainer recorded (billed training hours × the
 * training price, plus inference-unit hours when it evaluated by inference).
 * TFJS: wall-clock hours × `machineUsdPerHour` (EPOCHAL_MACHINE_USD_PER_HOUR),
 * null when unset. EXTERNAL: trained elsewhere, so not priced. `now` for a run
 * still training.
 */
export function runCost(run: RunRecord, machineUsdPerHour: number | null, now = new Date()): RunCost {
  const end = run.finishedAt ?? (run.startedAt ? now : null);
  const trainingSeconds = run.startedAt && end ? Math.max(0, (end.getTime() - run.startedAt.getTime()) / 1000) : null;
  const outputs = run.outputs ?? {};
  const base = { runId: run.id, trainingSeconds, billedTrainingSeconds: null, engine: run.engine };
  switch (run.trainer) {
    case 'REKOGNITION': {
      const billed = finiteNumber(outputs.billableTrainingSeconds);
      const cost = finiteNumber(outputs.estimatedCostUsd);
      return {
        ...base,
        engine: run.engine ?? 'rekognition',
        billedTrainingSeconds: billed,
        estimatedCostUsd: cost,
        costBasis: cost === null ? 'not known until AWS reports the billed training time' : 'billed training hours × the training price (and inference-unit hours, if it evaluated by inference), as the trainer recorded',
      };
    }
    case 'TFJS':
      if (machineUsdPerHour === null) return { ...base, estimatedCostUsd: null, costBasis: 'not priced: set EPOCHAL_MACHINE_USD_PER_HOUR to price TFJS runs by machine time' };
      return {
        ...base,
        estimatedCostUsd: trainingSeconds === null ? null : Math.round((trainingSeconds / 3600) * machineUsdPerHour * 10_000) / 10_000,
        costBasis: `training hours × ${machineUsdPerHour} USD per machine-hour (EPOCHAL_MACHINE_USD_PER_HOUR)`,
      };
    default:
      return { ...base, estimatedCostUsd: null, costBasis: 'trained outside Epochal: not priced' };
  }
}
