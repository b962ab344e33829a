import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/sql.js';
import { createRekognitionTrainerJob } from '../../../src/trainers/rekognition/rekognition-trainer-job.js';
import { startRekognitionFakes, type RekognitionFakes } from '../../fakes/rekognition-fakes.js';
import { gqlOk } from '../../support/graphql-client.js';
import { useTestApp } from '../../support/test-app.js';
import { createRun, recordEvaluation } from '../../support/testkit.js';
import { contextFor, runningRekognitionRun, syntheticImages } from './support.js';

/** compareRuns over a REKOGNITION run (trained against the fakes), a TFJS-like run and an EXTERNAL run without evaluation. */
const app = useTestApp();
let fakes: RekognitionFakes;

beforeAll(async () => {
  fakes = await startRekognitionFakes();
});
afterAll(async () => {
  await fakes?.stop();
});

describe('compareRuns with a REKOGNITION run', () => {
  it('puts the labels in one sorted union, a macro row, and null where a run has no label or no evaluation', async () => {
    const images = await syntheticImages(3);
    const rekognition = await runningRekognitionRun(app, images);
    await createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients }).run(contextFor(app, rekognition, images));

    const tfjsLike = await createRun(app, { name: 'tfjs-like', config: { trainer: 'TFJS' } });
    await recordEvaluation(app, tfjsLike, { labels: ['NORMAL', 'CNV', 'DRUSEN'], confusionMatrix: [[5, 0, 0], [1, 3, 0], [0, 0, 2]] });
    const external = await createRun(app, { name: 'external, no evaluation' });

    const { compareRuns } = await gqlOk(
      app.url,
      `query($ids: [ID!]!) { compareRuns(ids: $ids) { labels runs { id trainer } rows { label cells { label precision recall f1 support } } } }`,
      { ids: [rekognition.id, tfjsLike, external] },
    );
    expect(compareRuns.labels).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL']);
    expect(compareRuns.runs.map((r: { id: string }) => r.id)).toEqual([rekognition.id, tfjsLike, external]);
    const cells = Object.fromEntries(compareRuns.rows.map((r: { label: string; cells: unknown[] }) => [r.label, r.cells]));
    expect(Object.keys(cells)).toEqual(['CNV', 'DME', 'DRUSEN', 'NORMAL', 'macro']);
    // REKOGNITION: from the summary's fractions scaled to counts, [[3,1,0],[0,3,1],[1,0,3]] over CNV, DME, NORMAL.
    expect(cells.CNV[0]).toEqual({ label: 'CNV', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(cells.DRUSEN[0]).toBeNull();
    expect(cells.macro[0]).toEqual({ label: 'macro', precision: 0.75, recall: 0.75, f1: 0.75, support: 12 });
    // TFJS-like: its own labels, in the union's order.
    expect(cells.CNV[1]).toEqual({ label: 'CNV', precision: 1, recall: 0.75, f1: expect.closeTo(6 / 7, 10), support: 4 });
    expect(cells.DME[1]).toBeNull();
    expect(cells.NORMAL[1]).toMatchObject({ precision: 5 / 6, recall: 1, support: 5 });
    // EXTERNAL without an evaluation: a null in every row.
    expect(Object.values(cells).map((row) => (row as unknown[])[2])).toEqual([null, null, null, null, null]);
  });

  it('gives each run its training time, engine or service, and cost: billed hours × price for REKOGNITION, none for an external run', async () => {
    const images = await syntheticImages(5);
    const rekognition = await runningRekognitionRun(app, images);
    // As the plugin does (src/trainers/rekognition/index.ts): the outcome becomes Run.outputs.
    const job = createRekognitionTrainerJob({ config: fakes.config, clients: fakes.clients, onOutcome: (run, outcome) => app.services.runs.recordOutputs(run.id, { ...outcome }) });
    await job.run(contextFor(app, rekognition, images));
    await inTransaction(app.dataSource, (tx) => app.services.runs.transition(tx, rekognition.id, ['RUNNING'], 'SUCCEEDED'));
    const { createRun: external } = await gqlOk(app.url, `mutation { createRun(input: { name: "external" }) { id } }`);

    const { compareRuns } = await gqlOk(
      app.url,
      `query($ids: [ID!]!) { compareRuns(ids: $ids) { runs { startedAt finishedAt } costs { runId trainingSeconds billedTrainingSeconds engine estimatedCostUsd costBasis } } }`,
      { ids: [rekognition.id, external.id] },
    );
    const [aws, other] = compareRuns.costs;
    // The fake bills 4,500 s; the default training price is 1 USD per hour (EPOCHAL_REKOGNITION_TRAINING_USD_PER_HOUR).
    expect(aws).toMatchObject({ runId: rekognition.id, engine: 'rekognition', billedTrainingSeconds: 4500, estimatedCostUsd: 1.25 });
    expect(aws.costBasis).toMatch(/billed training hours/);
    const { startedAt, finishedAt } = compareRuns.runs[0];
    expect(aws.trainingSeconds).toBeCloseTo((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000, 2);
    expect(other).toMatchObject({ runId: external.id, billedTrainingSeconds: null, estimatedCostUsd: null, costBasis: expect.stringMatching(/outside Epochal/) });
  });
});
