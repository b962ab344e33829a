import { describe, expect, it } from 'vitest';
import { deriveClassMetrics } from '../../src/evaluations/class-metrics.js';
import { useTestApp } from '../support/test-app.js';
import { errorCode, gql, gqlOk } from '../support/graphql-client.js';
import { createRun, finishRun } from '../support/testkit.js';

const app = useTestApp();

const LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'];
// 250 test images per class, like OCT2017's test split.
const MATRIX = [
  [230, 8, 12, 0],
  [10, 236, 2, 2],
  [30, 1, 209, 10],
  [0, 0, 5, 245],
];
const RECORD = `mutation($runId: ID!, $input: EvaluationInput!) {
  recordEvaluation(runId: $runId, input: $input) { labels accuracy macroF1 testImages confusionMatrix perClass { label precision recall f1 support } }
}`;

describe('evaluations', () => {
  it('derives exact per-class precision, recall and F1 from a known confusion matrix', async () => {
    const runId = await createRun(app, { name: 'vgg16' });
    const { recordEvaluation: e } = await gqlOk(app.url, RECORD, { runId, input: { labels: LABELS, confusionMatrix: MATRIX } });
    // By hand: CNV precision 230 / (230+10+30+0) = 230/270, recall 230/250.
    const cnv = e.perClass[0];
    expect(cnv.precision).toBe(230 / 270);
    expect(cnv.recall).toBe(230 / 250);
    expect(cnv.f1).toBe((2 * (230 / 270) * (230 / 250)) / (230 / 270 + 230 / 250));
    expect(e.perClass[3]).toEqual({ label: 'NORMAL', precision: 245 / 257, recall: 245 / 250, f1: (2 * (245 / 257) * (245 / 250)) / (245 / 257 + 245 / 250), support: 250 });
    expect(e.accuracy).toBe((230 + 236 + 209 + 245) / 1000);
    expect(e.testImages).toBe(1000);
    expect(e.macroF1).toBeCloseTo(e.perClass.reduce((s: number, c: { f1: number }) => s + c.f1, 0) / 4, 15);
    expect(e.confusionMatrix).toEqual(MATRIX);
    const { run } = await gqlOk(app.url, `query($id: ID!) { run(id: $id) { evaluation { accuracy labels } } }`, { id: runId });
    expect(run.evaluation).toEqual({ accuracy: 0.92, labels: LABELS });
  });

  it('gives 0, never NaN, for a class never predicted or never present', () => {
    const m = deriveClassMetrics(['a', 'b', 'c'], [[3, 0, 0], [2, 0, 0], [0, 0, 0]]);
    expect(m.perClass[1]).toEqual({ label: 'b', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(m.perClass[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.accuracy).toBe(0.6);
  });

  it('replaces an evaluation, also on a finished run', async () => {
    const runId = await createRun(app, { name: 'replaced' });
    await finishRun(app, runId);
    await gqlOk(app.url, RECORD, { runId, input: { labels: ['a', 'b'], confusionMatrix: [[1, 1], [1, 1]] } });
    const { recordEvaluation } = await gqlOk(app.url, RECORD, { runId, input: { labels: ['a', 'b'], confusionMatrix: [[2, 0], [0, 2]] } });
    expect(recordEvaluation.accuracy).toBe(1);
  });

  it.each([
    ['a matrix with a missing row', { labels: ['a', 'b'], confusionMatrix: [[1, 2]] }, /2 rows|1 rows/],
    ['a ragged row', { labels: ['a', 'b'], confusionMatrix: [[1, 2], [3]] }, /row 1/],
    ['negative counts', { labels: ['a', 'b'], confusionMatrix: [[1, -2], [3, 4]] }, /counts must be integers >= 0/],
    ['repeated labels', { labels: ['a', 'a'], confusionMatrix: [[1, 2], [3, 4]] }, /unique/],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_name, input, message) => {
    const runId = await createRun(app, { name: 'bad-eval' });
    const result = await gql(app.url, RECORD, { runId, input });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(message);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM evaluations WHERE run_id = $1', [runId]);
    expect(n).toBe(0);
  });

  it('compares runs label by label, with null where a run has no evaluation or no such label', async () => {
    const cnn = await createRun(app, { name: 'cnn' });
    const automl = await createRun(app, { name: 'automl' });
    const external = await createRun(app, { name: 'no-eval' });
    await gqlOk(app.url, RECORD, { runId: cnn, input: { labels: LABELS, confusionMatrix: MATRIX } });
    await gqlOk(app.url, RECORD, { runId: automl, input: { labels: ['CNV', 'NORMAL'], confusionMatrix: [[9, 1], [0, 10]] } });
    const { compareRuns } = await gqlOk(app.url, `query($ids: [ID!]!) { compareRuns(ids: $ids) { labels runs { name } rows { label cells { precision recall f1 support } } } }`, { ids: [cnn, automl, external] });
    expect(compareRuns.labels).toEqual(LABELS);
    expect(compareRuns.runs.map((r: { name: string }) => r.name)).toEqual(['cnn', 'automl', 'no-eval']);
    expect(compareRuns.rows.map((r: { label: string }) => r.label)).toEqual([...LABELS, 'macro']);
    const dme = compareRuns.rows[1].cells;
    expect(dme[1]).toBeNull();
    expect(dme[2]).toBeNull();
    expect(compareRuns.rows[0].cells[1]).toEqual({ precision: 1, recall: 0.9, f1: (2 * 0.9) / 1.9, support: 10 });
    expect(compareRuns.rows[4].cells[2]).toBeNull();
  });
});
