import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { badInput } from '../kernel/errors.js';
import { parseInput } from '../kernel/validation.js';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import type { DerivationService, DerivedPlan } from '../datasets/derive/derivation.service.js';
import { describeDerivation, parseDeriveInput } from '../datasets/derive/derive-input.js';
import type { ModelEvaluationService } from '../evaluations/model-evaluation.service.js';
import type { RunRecord } from '../runs/run.record.js';
import { runNameSchema, tagsSchema } from '../runs/run.service.js';
import type { TrainingService } from '../training/training.service.js';
import type { StudyKind, StudyRecord } from './study.record.js';
import type { StudyRepository } from './study.repository.js';

/** A learning curve's subsamples are nested: all fractions are cut with this one derivation seed. */
export const SUBSAMPLE_SEED = 1;
export const MAX_STUDY_RUNS = 200;

const unique = (values: readonly number[]) => new Set(values).size === values.length;
const seedsSchema = z
  .array(z.number().int('each seed must be a whole number'))
  .min(1, 'seeds must name at least one seed')
  .max(30, 'at most 30 seeds')
  .refine(unique, 'seeds must not repeat');
const commonFields = {
  name: runNameSchema,
  datasetId: z.string(),
  trainer: z.enum(['TFJS', 'REKOGNITION', 'EXTERNAL']),
  seeds: seedsSchema,
  tfjs: z.unknown().nullish(),
  rekognition: z.unknown().nullish(),
  tags: tagsSchema,
  maxCostUsd: z.number().min(0, 'maxCostUsd must be 0 or more').nullish(),
};
const learningCurveSchema = z.object({
  ...commonFields,
  fractions: z
    .array(z.number().gt(0, 'each fraction must be above 0').max(1, 'each fraction must be at most 1 (the whole TRAIN split)'))
    .min(1, 'fractions must name at least one fraction')
    .max(20, 'at most 20 fractions')
    .refine(unique, 'fractions must not repeat'),
});
const robustnessSchema = z.object({ ...commonFields, variants: z.array(z.unknown()).min(1, 'variants must name at least one variant').max(20, 'at most 20 variants') });

/** One arm to create: its data (the base dataset, or a derivation of it) and whether it trains. */
interface PlannedArm {
  name: string;
  x: number;
  data: DerivedPlan | null;
  /** Evaluates arm 0's models on its TEST split instead of training. */
  evaluatesBaseline: boolean;
}

interface PlannedStudy {
  kind: StudyKind;
  name: string;
  datasetId: string;
  trainer: 'TFJS' | 'REKOGNITION';
  seeds: number[];
  config: Record<string, unknown>;
  tags: string[];
  arms: PlannedArm[];
  maxCostUsd: number | null;
}

/**
 * startLearningCurve / startRobustnessStudy: checks everything, derives the arms' data (a
 * corruption writes its files first), then creates the study, its arms, its runs with their jobs
 * and its evaluation requests in one transaction. A study's k-th run is queued at priority −k,
 * so runs of several studies (and single runs, at 0) interleave instead of waiting for a whole study.
 */
export class StudyPlanner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StudyRepository,
    private readonly training: TrainingService,
    private readonly derivations: DerivationService,
    private readonly modelEvaluations: ModelEvaluationService,
  ) {}

  async startLearningCurve(input: unknown): Promise<StudyRecord> {
    const p = parseInput(learningCurveSchema, input, 'input');
    const { config, trainer } = await this.resolve(p);
    const dataset = await this.training.checkTrainable(p.datasetId);
    const arms: PlannedArm[] = [];
    for (const fraction of [...p.fractions].sort((a, b) => a - b)) {
      const data = fraction === 1 ? null : await this.derivations.prepare(
        { parentId: dataset.id, name: null, derivation: { kind: 'SUBSAMPLE', params: { fraction }, seed: SUBSAMPLE_SEED } }, 'input.fractions');
      arms.push({ name: `${Math.round(fraction * 10_000) / 100}%`, x: fraction, data, evaluatesBaseline: false });
    }
    return this.create({ kind: 'LEARNING_CURVE', name: p.name, datasetId: dataset.id, trainer, seeds: p.seeds, config, tags: p.tags, arms, maxCostUsd: p.maxCostUsd ?? null });
  }

  async startRobustnessStudy(input: unknown): Promise<StudyRecord> {
    const p = parseInput(robustnessSchema, input, 'input');
    const { config, trainer } = await this.resolve(p);
    const dataset = await this.training.checkTrainable(p.datasetId);
    const requests = p.variants.map((variant, i) => {
      const request = parseDeriveInput(variant, `input.variants[${i}]`);
      return { ...request, parentId: request.parentId ?? dataset.id };
    });
    const arms: PlannedArm[] = [{ name: 'baseline', x: 0, data: null, evaluatesBaseline: false }];
    for (const [i, request] of requests.entries()) {
      const data = await this.derivations.prepare(request, `input.variants[${i}]`);
      const { kind, params } = request.derivation;
      // A corruption of TEST alone changes nothing the models learn from: evaluate the baseline's instead.
      const testOnly = kind === 'CORRUPTION' && (params.splits as string[]).join() === 'TEST' && request.parentId === dataset.id;
      arms.push({ name: describeDerivation(request.derivation), x: i + 1, data, evaluatesBaseline: testOnly });
    }
    return this.create({ kind: 'ROBUSTNESS', name: p.name, datasetId: dataset.id, trainer, seeds: p.seeds, config, tags: p.tags, arms, maxCostUsd: p.maxCostUsd ?? null });
  }

  private async resolve(p: { trainer: string; tfjs?: unknown; rekognition?: unknown }) {
    const config = await this.training.resolveConfig(p.trainer, p, 'input');
    return { config, trainer: p.trainer as 'TFJS' | 'REKOGNITION' };
  }

  /** USD for `runs` runs of this trainer and settings, as its plugin prices them; null when it costs nothing. */
  estimateCostUsd(trainer: string, config: Record<string, unknown>, runs: number): number | null {
    const description = this.training.trainer(trainer);
    if (!description?.estimateRunCostUsd) return null;
    return Math.round(description.estimateRunCostUsd(config[description.inputField] as Record<string, unknown>) * runs * 100) / 100;
  }

  private async create(plan: PlannedStudy): Promise<StudyRecord> {
    const trainingArms = plan.arms.filter((arm) => !arm.evaluatesBaseline).length;
    const runCount = trainingArms * plan.seeds.length;
    if (runCount > MAX_STUDY_RUNS) throw badInput(`input: the study would start ${runCount} runs; at most ${MAX_STUDY_RUNS} (fewer arms or seeds)`);
    const estimatedCostUsd = this.estimateCostUsd(plan.trainer, plan.config, runCount);
    if (estimatedCostUsd !== null && plan.maxCostUsd !== null && estimatedCostUsd > plan.maxCostUsd) {
      throw badInput(`input.maxCostUsd: the study's ${runCount} runs are estimated at USD ${estimatedCostUsd}, above the limit of USD ${plan.maxCostUsd}; nothing was started`, { estimatedCostUsd });
    }
    return inTransaction(this.dataSource, async (tx) => {
      const study = await this.repository.insert(tx, {
        name: plan.name, kind: plan.kind, datasetId: plan.datasetId, trainer: plan.trainer, seeds: plan.seeds, config: plan.config, tags: plan.tags, estimatedCostUsd,
      });
      const datasets: string[] = [];
      for (const [position, arm] of plan.arms.entries()) {
        const datasetId = arm.data ? (await this.derivations.record(tx, arm.data)).id : plan.datasetId;
        datasets.push(datasetId);
        await this.repository.insertArm(tx, { studyId: study.id, position, name: arm.name, x: arm.x, datasetId, evaluatesArm: arm.evaluatesBaseline ? 0 : null });
      }
      const runsByArm = await this.queueRuns(tx, study, plan, datasets);
      for (const [position, arm] of plan.arms.entries()) {
        if (!arm.evaluatesBaseline) continue;
        for (const run of runsByArm.get(0) ?? []) await this.modelEvaluations.requestIn(tx, run, datasets[position], 'TEST');
      }
      return study;
    });
  }

  /** Seed-major, so each arm gets its first run early: a rough curve first, then its spread. */
  private async queueRuns(tx: SqlRunner, study: StudyRecord, plan: PlannedStudy, datasets: string[]): Promise<Map<number, RunRecord[]>> {
    const byArm = new Map<number, RunRecord[]>();
    let k = 0;
    for (const seed of plan.seeds) {
      for (const [position, arm] of plan.arms.entries()) {
        if (arm.evaluatesBaseline) continue;
        const run = await this.training.queueIn(tx, {
          name: `${plan.name} · ${arm.name} · seed ${seed}`,
          trainer: plan.trainer,
          status: 'QUEUED',
          datasetId: datasets[position],
          config: withSeed(plan.config, seed),
          tags: plan.tags,
          startedAt: null,
          study: { id: study.id, arm: position },
        }, { priority: -k++ });
        byArm.set(position, [...(byArm.get(position) ?? []), run]);
      }
    }
    return byArm;
  }
}

/** The run's configuration: the study's, with the seed in the trainer's settings (TFJS) or beside them. */
function withSeed(config: Record<string, unknown>, seed: number): Record<string, unknown> {
  if (config.tfjs && typeof config.tfjs === 'object') return { ...config, tfjs: { ...config.tfjs, seed } };
  return { ...config, seed };
}
