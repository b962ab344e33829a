import type { DataSource } from 'typeorm';
import { badInput, conflict, isUuid, notFound } from '../kernel/errors.js';
import { AsyncQueue } from '../kernel/async-queue.js';
import type { Envelope, PubSub } from '../kernel/pubsub.js';
import type { RunMessage } from '../kernel/run-event.js';
import { inTransaction } from '../kernel/sql.js';
import { MODEL_EVALUATION_STATUS_TOPIC, RUN_STATUS_TOPIC, studyTopic } from '../kernel/topics.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import { deriveClassMetrics } from '../evaluations/class-metrics.js';
import type { EvaluationRecord, ModelEvaluationRecord } from '../evaluations/evaluation.record.js';
import type { EvaluationService } from '../evaluations/evaluation.service.js';
import type { ModelEvaluationService } from '../evaluations/model-evaluation.service.js';
import type { RunRecord, RunStatus } from '../runs/run.record.js';
import type { RunService } from '../runs/run.service.js';
import { pointStatistics, type PointStatistics } from './study-statistics.js';
import type { StudyArmRecord, StudyRecord } from './study.record.js';
import type { StudyRepository } from './study.repository.js';

export type StudyMetric = 'MACRO_F1' | 'ACCURACY' | 'F1';

export interface CurvePoint extends PointStatistics {
  arm: string;
  x: number;
  trainImages: number;
}

/** What studyEvents sends: the study's status after `run` changed (null: the study itself ended). */
export interface StudyProgress {
  studyId: string;
  status: RunStatus;
  run: { __typename: 'StatusChanged'; runId: string; status: RunStatus; error: string | null } | null;
}

/** A study as of one read: its arms, the runs each arm's figures come from, and the evaluations of evaluating arms. */
interface StudyState {
  study: StudyRecord;
  arms: StudyArmRecord[];
  runs: RunRecord[];
  modelEvaluations: ModelEvaluationRecord[];
}

const LIVE: readonly RunStatus[] = ['QUEUED', 'RUNNING'];
const isLive = (status: RunStatus) => LIVE.includes(status);

/** Reading studies: their status, arms, curve and minimal size; cancelStudy and studyEvents. */
export class StudyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StudyRepository,
    private readonly runs: RunService,
    private readonly datasets: DatasetService,
    private readonly evaluations: EvaluationService,
    private readonly modelEvaluations: ModelEvaluationService,
    private readonly pubsub: PubSub,
  ) {}

  async find(id: string): Promise<StudyRecord | null> {
    if (!isUuid(id)) return null;
    return (await this.repository.findByIds([id]))[0] ?? null;
  }

  async require(id: string): Promise<StudyRecord> {
    const study = await this.find(id);
    if (!study) throw notFound('study', id);
    return study;
  }

  findByIds(ids: readonly string[]): Promise<StudyRecord[]> {
    return this.repository.findByIds(ids.filter(isUuid));
  }

  list(): Promise<StudyRecord[]> {
    return this.repository.listNewestFirst();
  }

  arms(studyId: string): Promise<StudyArmRecord[]> {
    return this.repository.armsOf([studyId]);
  }

  /** The runs behind an arm's figures: its own, or for an evaluating arm those whose models it evaluates. */
  async armRuns(arm: StudyArmRecord): Promise<RunRecord[]> {
    const position = arm.evaluatesArm ?? arm.position;
    return (await this.runs.ofStudies([arm.studyId])).filter((run) => run.studyArm === position);
  }

  async status(study: StudyRecord): Promise<RunStatus> {
    return statusOf(await this.state(study));
  }

  /**
   * One point per arm over its SUCCEEDED runs (for an evaluating arm: its SUCCEEDED evaluations of
   * them): mean, sample std and the Student-t 95% interval of the metric.
   */
  async curve(study: StudyRecord, metric: StudyMetric, label: string | null | undefined): Promise<CurvePoint[]> {
    if (metric === 'F1' && !label) throw badInput('label: the F1 metric is per label; name one');
    if (metric !== 'F1' && label) throw badInput(`label: only the F1 metric takes a label; ${metric} is over all labels`);
    const state = await this.state(study);
    const own = new Map((await this.evaluations.ofRuns(state.runs.map((r) => r.id))).map((e) => [e.runId, e]));
    const counts = await this.datasets.classCounts(state.arms.map((a) => a.datasetId));
    return state.arms.map((arm) => {
      const evaluations = armEvaluations(state, arm, own);
      if (label && evaluations.some((e) => !e.labels.includes(label))) throw badInput(`label: "${label}" is not a label of study ${study.id}'s evaluations`);
      const values = evaluations.map((e) => metricOf(e, metric, label ?? null));
      const trainImages = counts.filter((c) => c.datasetId === arm.datasetId && c.split === 'TRAIN').reduce((n, c) => n + c.count, 0);
      return { arm: arm.name, x: arm.x, trainImages, ...pointStatistics(values) };
    });
  }

  /** The fewest TRAIN images among arms whose interval's lower end reaches `target`; null when none does yet. */
  async minimalTrainingSize(study: StudyRecord, target: number, metric: StudyMetric, label: string | null | undefined): Promise<number | null> {
    if (!Number.isFinite(target)) throw badInput('target must be a number');
    const reaching = (await this.curve(study, metric, label)).filter((p) => p.low !== null && p.low >= target);
    return reaching.length ? Math.min(...reaching.map((p) => p.trainImages)) : null;
  }

  /** Cancels every run still QUEUED or RUNNING and every evaluation not yet started; CONFLICT once the study ended. */
  async cancel(id: string): Promise<StudyRecord> {
    const study = await this.require(id);
    const status = await this.status(study);
    if (!isLive(status)) throw conflict(`study ${id} is already ${status}; only a RUNNING study can be cancelled`, { status });
    await inTransaction(this.dataSource, async (tx) => {
      if (!(await this.repository.markCancelled(tx, id))) return;
      const runs = await this.runs.ofStudies([id], tx);
      for (const run of runs.filter((r) => isLive(r.status))) {
        await this.runs.transition(tx, run.id, LIVE, 'CANCELLED', { error: 'cancelled with its study' });
      }
      await this.modelEvaluations.cancelPending(tx, runs.map((r) => r.id));
      await this.pubsub.publish(tx, studyTopic(id), { studyId: id, cancelled: true });
    });
    return this.require(id);
  }

  /**
   * studyEvents: listens first, then reads the study; each status change of one of its runs is
   * sent with the study's status read after it, and once the study has ended, one last event
   * with run null, and the stream ends. A study already ended answers that last event alone.
   */
  async *events(studyId: string): AsyncGenerator<StudyProgress> {
    const live = new AsyncQueue<Envelope>(10_000);
    const unsubscribes = [RUN_STATUS_TOPIC, MODEL_EVALUATION_STATUS_TOPIC, studyTopic(studyId)].map((topic) => this.pubsub.subscribe(topic, (e) => live.push(e)));
    try {
      const study = await this.require(studyId);
      const runIds = new Set((await this.runs.ofStudies([studyId])).map((r) => r.id));
      let status = await this.status(study);
      if (isLive(status)) {
        for await (const envelope of live) {
          const body = envelope.body as Partial<RunMessage> & { runId?: string; cancelled?: boolean };
          if (envelope.topic !== studyTopic(studyId) && !runIds.has(body.runId ?? '')) continue;
          status = await this.status((await this.find(studyId)) ?? study);
          if (envelope.topic === RUN_STATUS_TOPIC && body.type === 'status') {
            yield { studyId, status, run: { __typename: 'StatusChanged', runId: body.runId!, status: body.status!, error: body.error ?? null } };
          }
          if (!isLive(status)) break;
        }
      }
      yield { studyId, status, run: null };
    } finally {
      for (const unsubscribe of unsubscribes) unsubscribe();
      live.close();
    }
  }

  private async state(study: StudyRecord): Promise<StudyState> {
    const [arms, runs] = await Promise.all([this.repository.armsOf([study.id]), this.runs.ofStudies([study.id])]);
    const evaluating = new Set(arms.filter((a) => a.evaluatesArm !== null).map((a) => a.datasetId));
    const modelEvaluations = evaluating.size
      ? (await this.modelEvaluations.ofRuns(runs.map((r) => r.id))).filter((e) => evaluating.has(e.datasetId) && e.split === 'TEST')
      : [];
    return { study, arms, runs, modelEvaluations };
  }
}

/**
 * CANCELLED once cancelStudy ran; RUNNING while a run is QUEUED or RUNNING (or an evaluation of
 * a SUCCEEDED run is still to do); then SUCCEEDED when every arm has a SUCCEEDED run (for an
 * evaluating arm, a SUCCEEDED evaluation), else FAILED.
 */
function statusOf(state: StudyState): RunStatus {
  if (state.study.cancelledAt) return 'CANCELLED';
  const runStatus = new Map(state.runs.map((r) => [r.id, r.status]));
  const evaluationLive = state.modelEvaluations.some((e) =>
    e.status === 'QUEUED' || e.status === 'RUNNING' || (e.status === 'WAITING' && runStatus.get(e.runId) !== 'FAILED' && runStatus.get(e.runId) !== 'CANCELLED'));
  if (state.runs.some((r) => isLive(r.status)) || evaluationLive) return 'RUNNING';
  const everyArm = state.arms.every((arm) =>
    arm.evaluatesArm === null
      ? state.runs.some((r) => r.studyArm === arm.position && r.status === 'SUCCEEDED')
      : state.modelEvaluations.some((e) => e.datasetId === arm.datasetId && e.status === 'SUCCEEDED' && runStatus.get(e.runId) === 'SUCCEEDED'));
  return everyArm ? 'SUCCEEDED' : 'FAILED';
}

/** The evaluations an arm's point is computed from: its SUCCEEDED runs' own, or its SUCCEEDED evaluations of the baseline's. */
function armEvaluations(state: StudyState, arm: StudyArmRecord, own: Map<string, EvaluationRecord>): Pick<EvaluationRecord, 'labels' | 'confusionMatrix' | 'accuracy' | 'macroF1'>[] {
  const succeeded = state.runs.filter((r) => r.status === 'SUCCEEDED' && r.studyArm === (arm.evaluatesArm ?? arm.position));
  if (arm.evaluatesArm === null) return succeeded.flatMap((r) => own.get(r.id) ?? []);
  return succeeded.flatMap((r) => {
    const e = state.modelEvaluations.find((m) => m.runId === r.id && m.datasetId === arm.datasetId && m.status === 'SUCCEEDED');
    return e ? [{ labels: e.labels!, confusionMatrix: e.confusionMatrix!, accuracy: e.accuracy!, macroF1: e.macroF1! }] : [];
  });
}

function metricOf(e: Pick<EvaluationRecord, 'labels' | 'confusionMatrix' | 'accuracy' | 'macroF1'>, metric: StudyMetric, label: string | null): number {
  if (metric === 'MACRO_F1') return e.macroF1;
  if (metric === 'ACCURACY') return e.accuracy;
  return deriveClassMetrics(e.labels, e.confusionMatrix).perClass.find((c) => c.label === label)!.f1;
}
