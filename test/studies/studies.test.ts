import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, errorCode, gql, gqlOk, wsClient } from '../support/graphql-client.js';

/**
 * Studies end to end through the API on the in-process worker: tiny runs (24 px, one epoch of a
 * small CNN) so a whole study trains in seconds. Statistics are checked against the runs' own
 * evaluations with the formulas written out here.
 */
const TINY = { architecture: 'SMALL_CNN', imageSize: 24, channels: 1, batchSize: 16, epochs: 1, fineTuneEpochs: 0 };
const STUDY = /* GraphQL */ `query($id: ID!) { study(id: $id) {
  id name kind status trainer seeds estimatedCostUsd dataset { id }
  arms { name x evaluatesBaseline dataset { id parent { id } derivation { kind params seed } classCounts { split label count } }
    runs { id status config study { id } evaluation { macroF1 accuracy } evaluations { macroF1 split dataset { id } } } }
  curve { arm x trainImages runs mean std low high }
} }`;
const EVENTS = /* GraphQL */ `subscription($id: ID!) { studyEvents(studyId: $id) { studyId status run { runId status } } }`;

let app: TestApp;
let client: Client;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp({ inProcessWorker: true });
  client = wsClient(app.url);
  datasetId = (await gqlOk(app.url, `mutation { generateSyntheticDataset(input: { name: "study-oct", imagesPerLabel: 16, imageSize: 24, seed: 4 }) { id } }`)).generateSyntheticDataset.id;
});
afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

type Progress = { studyId: string; status: string; run: { runId: string; status: string } | null };
const follow = async (id: string) =>
  (await collect<{ studyEvents: Progress }>(client, EVENTS, { id }, (events) => events.at(-1)?.studyEvents.run === null, 240_000)).map((e) => e.studyEvents);
const readStudy = async (id: string) => (await gqlOk(app.url, STUDY, { id })).study;
const counts = async () => (await app.dataSource.query(`SELECT (SELECT count(*)::int FROM studies) AS studies, (SELECT count(*)::int FROM runs) AS runs,
  (SELECT count(*)::int FROM datasets) AS datasets, (SELECT count(*)::int FROM pgboss.job) AS jobs`))[0];

/** Mean, sample std and the 95% interval with t(0.975, 1) = 12.706204736174694, for two values. */
function byHand(values: number[]) {
  const mean = (values[0] + values[1]) / 2;
  const std = Math.abs(values[0] - values[1]) / Math.SQRT2;
  const half = (12.706204736174694 * std) / Math.SQRT2;
  return { mean, std, low: mean - half, high: mean + half };
}

describe('learning curve', () => {
  it('trains fraction × seed runs, streams their progress, and answers the curve with exact statistics', async () => {
    const { startLearningCurve } = await gqlOk(app.url, `mutation($input: LearningCurveInput!) { startLearningCurve(input: $input) { id status } }`, {
      input: { name: 'how much data', datasetId, trainer: 'TFJS', fractions: [1, 0.5], seeds: [1, 2], tfjs: TINY },
    });
    expect(startLearningCurve.status).toBe('RUNNING');
    const events = await follow(startLearningCurve.id);
    expect(events.at(-1)).toEqual({ studyId: startLearningCurve.id, status: 'SUCCEEDED', run: null });
    expect(events.filter((e) => e.run?.status === 'SUCCEEDED')).toHaveLength(4);

    const study = await readStudy(startLearningCurve.id);
    expect(study).toMatchObject({ kind: 'LEARNING_CURVE', status: 'SUCCEEDED', trainer: 'TFJS', seeds: [1, 2], estimatedCostUsd: null });
    expect(study.arms.map((a: { name: string; x: number }) => [a.name, a.x])).toEqual([['50%', 0.5], ['100%', 1]]);
    const [half, whole] = study.arms;
    expect(whole.dataset.id).toBe(datasetId);
    expect(half.dataset.parent.id).toBe(datasetId);
    expect(half.dataset.derivation).toEqual({ kind: 'SUBSAMPLE', params: { fraction: 0.5 }, seed: 1 });
    for (const arm of study.arms) {
      expect(arm.runs.map((r: { config: { tfjs: { seed: number } } }) => r.config.tfjs.seed).sort()).toEqual([1, 2]);
      expect(arm.runs.every((r: { study: { id: string } }) => r.study.id === study.id)).toBe(true);
    }
    const trainCount = (arm: { dataset: { classCounts: { split: string; count: number }[] } }) =>
      arm.dataset.classCounts.filter((c) => c.split === 'TRAIN').reduce((n, c) => n + c.count, 0);
    study.curve.forEach((point: Record<string, number>, i: number) => {
      const arm = study.arms[i];
      const expected = byHand(arm.runs.map((r: { evaluation: { macroF1: number } }) => r.evaluation.macroF1));
      expect(point).toMatchObject({ arm: arm.name, x: arm.x, trainImages: trainCount(arm), runs: 2 });
      for (const key of ['mean', 'std', 'low', 'high'] as const) expect(point[key]).toBeCloseTo(expected[key], 12);
    });
    const minimal = await gqlOk(app.url, `query($id: ID!) { study(id: $id) { any: minimalTrainingSize(target: -100) none: minimalTrainingSize(target: 2)
      accuracy: curve(metric: ACCURACY) { mean } } }`, { id: study.id });
    expect(minimal.study.any).toBe(trainCount(half));
    expect(minimal.study.none).toBeNull();
    expect(minimal.study.accuracy[0].mean).toBeCloseTo((half.runs[0].evaluation.accuracy + half.runs[1].evaluation.accuracy) / 2, 12);
  }, 300_000);

  it('refuses bad input with BAD_USER_INPUT, starting nothing', async () => {
    const before = await counts();
    for (const [input, message] of [
      [{ fractions: [0], seeds: [1] }, /fractions\[0\]: each fraction must be above 0/],
      [{ fractions: [0.5, 0.5], seeds: [1] }, /fractions must not repeat/],
      [{ fractions: [0.5], seeds: [] }, /seeds must name at least one seed/],
      [{ fractions: [0.5], seeds: [1], tfjs: { imageSize: 3 } }, /input\.tfjs\.imageSize/],
    ] as const) {
      const result = await gql(app.url, `mutation($input: LearningCurveInput!) { startLearningCurve(input: $input) { id } }`, {
        input: { name: 'bad', datasetId, trainer: 'TFJS', ...input },
      });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('robustness study', () => {
  it('retrains only where TRAIN changes; a TEST corruption evaluates the baseline models on its TEST split', async () => {
    const { startRobustnessStudy } = await gqlOk(app.url, `mutation($input: RobustnessStudyInput!) { startRobustnessStudy(input: $input) { id } }`, {
      input: {
        name: 'how robust', datasetId, trainer: 'TFJS', seeds: [5], tfjs: TINY,
        variants: [{ parentId: '', corruption: { kind: 'GAUSSIAN_NOISE', severity: 5 } }, { parentId: '', labelNoise: { rate: 0.2 } }],
      },
    });
    const events = await follow(startRobustnessStudy.id);
    expect(events.at(-1)?.status).toBe('SUCCEEDED');
    const study = await readStudy(startRobustnessStudy.id);
    expect(study.arms.map((a: { name: string; evaluatesBaseline: boolean }) => [a.name, a.evaluatesBaseline])).toEqual([
      ['baseline', false], ['gaussian noise 5', true], ['label noise 0.2', false],
    ]);
    const [baseline, noisy, relabelled] = study.arms;
    const [{ c }] = await app.dataSource.query(`SELECT count(*)::int AS c FROM runs WHERE study_id = $1`, [study.id]);
    expect(c).toBe(2); // baseline and label noise: the corruption arm trained nothing
    expect(noisy.runs.map((r: { id: string }) => r.id)).toEqual(baseline.runs.map((r: { id: string }) => r.id));
    const evaluations = baseline.runs[0].evaluations;
    expect(evaluations).toHaveLength(2);
    expect(evaluations[0]).toMatchObject({ split: 'TEST', dataset: { id: datasetId }, macroF1: baseline.runs[0].evaluation.macroF1 });
    expect(evaluations[1]).toMatchObject({ split: 'TEST', dataset: { id: noisy.dataset.id } });
    expect(study.curve.map((p: { runs: number; mean: number }) => [p.runs, p.mean])).toEqual([
      [1, baseline.runs[0].evaluation.macroF1], [1, evaluations[1].macroF1], [1, relabelled.runs[0].evaluation.macroF1],
    ]);
    expect(study.curve[0]).toMatchObject({ std: null, low: null, high: null });
  }, 300_000);
});

describe('cancelStudy', () => {
  it('cancels what is left, ends the event stream, and is a CONFLICT once the study ended', async () => {
    const { startLearningCurve } = await gqlOk(app.url, `mutation($input: LearningCurveInput!) { startLearningCurve(input: $input) { id } }`, {
      input: { name: 'cancelled', datasetId, trainer: 'TFJS', fractions: [0.25, 0.5, 1], seeds: [1, 2, 3], tfjs: { ...TINY, epochs: 20 } },
    });
    const jobs = await app.dataSource.query(`SELECT priority FROM pgboss.job j JOIN runs r ON r.id::text = j.data->>'runId' WHERE r.study_id = $1 ORDER BY priority DESC`, [startLearningCurve.id]);
    expect(jobs.map((j: { priority: number }) => j.priority)).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8]);
    const { cancelStudy } = await gqlOk(app.url, `mutation($id: ID!) { cancelStudy(id: $id) { status arms { runs { status } } } }`, { id: startLearningCurve.id });
    expect(cancelStudy.status).toBe('CANCELLED');
    expect(cancelStudy.arms.flatMap((a: { runs: { status: string }[] }) => a.runs.map((r) => r.status))).toEqual(Array(9).fill('CANCELLED'));
    expect(await follow(startLearningCurve.id)).toEqual([{ studyId: startLearningCurve.id, status: 'CANCELLED', run: null }]);
    const again = await gql(app.url, `mutation($id: ID!) { cancelStudy(id: $id) { id } }`, { id: startLearningCurve.id });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(errorCode(await gql(app.url, `mutation { cancelStudy(id: "00000000-0000-4000-8000-000000000000") { id } }`))).toBe('NOT_FOUND');
  }, 120_000);
});

describe('REKOGNITION studies', () => {
  it('estimate their cost before anything starts, and refuse a study above maxCostUsd', async () => {
    const START = `mutation($input: LearningCurveInput!) { startLearningCurve(input: $input) { id estimatedCostUsd status } }`;
    const input = { name: 'automl curve', datasetId, trainer: 'REKOGNITION', fractions: [0.5, 1], seeds: [1, 2, 3], rekognition: { evaluateWithInference: true } };
    const before = await counts();
    // 6 runs × (1 training hour × USD 1 + 0.5 h × 1 inference unit × USD 4) = USD 18
    const refused = await gql(app.url, START, { input: { ...input, maxCostUsd: 17.99 } });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/6 runs are estimated at USD 18, above the limit of USD 17\.99; nothing was started/);
    expect(await counts()).toEqual(before);
    const { startLearningCurve } = await gqlOk(app.url, START, { input: { ...input, maxCostUsd: 18 } });
    expect(startLearningCurve).toMatchObject({ estimatedCostUsd: 18, status: 'RUNNING' });
    // This app's worker has no S3 settings: the runs wait for a worker that has them, they do not fail.
    const [{ queued }] = await app.dataSource.query(`SELECT count(*)::int AS queued FROM runs WHERE study_id = $1 AND status = 'QUEUED'`, [startLearningCurve.id]);
    expect(queued).toBe(6);
    await gqlOk(app.url, `mutation($id: ID!) { cancelStudy(id: $id) { id } }`, { id: startLearningCurve.id });
  });
});

describe('evaluateRun', () => {
  it('refuses unknown runs and datasets, and data with labels the model does not know', async () => {
    const EVALUATE = `mutation($runId: ID!, $datasetId: ID!) { evaluateRun(runId: $runId, datasetId: $datasetId) { status } }`;
    const [run] = await app.dataSource.query(`SELECT id FROM runs WHERE status = 'SUCCEEDED' LIMIT 1`);
    expect(errorCode(await gql(app.url, EVALUATE, { runId: '00000000-0000-4000-8000-000000000000', datasetId }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(app.url, EVALUATE, { runId: run.id, datasetId: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
    const { createDataset } = await gqlOk(app.url, `mutation { createDataset(input: { name: "other-labels", images: [{ uri: "/x.png", label: "GLAUCOMA", split: TEST }] }) { id } }`);
    const result = await gql(app.url, EVALUATE, { runId: run.id, datasetId: createDataset.id });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/labels the run's model does not know: GLAUCOMA/);
  });
});
