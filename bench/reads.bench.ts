import { DATASET_IMAGES } from '../test/support/graphql-client.js';
import { header, goal, startBenchDatabase, startBenchApp, timed, median, percentile, fmt, post } from './support.js';
import { statementRecorder } from '../src/db/statement-recorder.js';

/**
 * Reads: 100 runs with their datasets, epochs, metric keys and evaluations in
 * one query. Statements are counted through the DataSource's logger (they must
 * not grow with the page: per-request DataLoaders), latency is the p50 over
 * HTTP, against the same query for 10 runs and against `{ __typename }` (the
 * fixed cost of a request) in the same run.
 */
const RUNS = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const EPOCHS = 10;
const PAGE = `query($first: Int!) {
  runs(first: $first) {
    totalCount
    edges { node { id name status dataset { id name labels imageCount classCounts { split label count } }
      epochs { phase index loss valLoss valAccuracy } metricKeys
      evaluation { accuracy macroF1 perClass { label precision recall f1 support } } } }
  }
}`;

export async function benchReads(): Promise<void> {
  header(`reads: ${RUNS} runs with datasets, ${EPOCHS} epochs each and evaluations in one query`);
  const db = await startBenchDatabase();
  const { statements, logger: sqlLogger } = statementRecorder();
  const app = await startBenchApp(await db.createDatabase(), { sqlLogger });
  try {
    const seedOne = async (i: number) => {
      const dataset = await post(app.url, `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { name: `reads-${i}`, images: DATASET_IMAGES } });
      const { createRun } = await post(app.url, `mutation($d: ID!, $n: String!) { createRun(input: { name: $n, datasetId: $d }) { id } }`, { d: dataset.createDataset.id, n: `reads-${i}` });
      for (let e = 0; e < EPOCHS; e++) {
        await post(app.url, `mutation($id: ID!, $e: Int!) { logEpoch(runId: $id, input: { index: $e, loss: 1, valLoss: 1.1, valAccuracy: 0.5 }) { index } }`, { id: createRun.id, e });
      }
      await post(app.url, `mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 0, value: 1 }, { key: "lr", step: 0, value: 0.001 }]) { accepted } }`, { id: createRun.id });
      await post(app.url, `mutation($id: ID!) { recordEvaluation(runId: $id, input: { labels: ["CNV", "DME", "DRUSEN", "NORMAL"], confusionMatrix: [[9, 1, 0, 0], [0, 8, 2, 0], [1, 0, 9, 0], [0, 0, 0, 10]] }) { accuracy } }`, { id: createRun.id });
    };
    for (let i = 0; i < RUNS; i += 4) await Promise.all([0, 1, 2, 3].map((j) => seedOne(i + j)));
    await app.dataSource.query('VACUUM ANALYZE');

    const measure = async (first: number) => {
      statements.length = 0;
      const check = await post(app.url, PAGE, { first });
      const count = statements.length;
      const complete = check.runs.edges.length === first && check.runs.edges.every((e: { node: { epochs: unknown[]; evaluation: unknown; dataset: unknown } }) => e.node.epochs.length === EPOCHS && e.node.evaluation && e.node.dataset);
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i++) ms.push((await timed(() => post(app.url, PAGE, { first }))).ms);
      return { count, complete, ms };
    };
    const trivial: number[] = [];
    for (let i = 0; i < SAMPLES; i++) trivial.push((await timed(() => post(app.url, `{ __typename }`))).ms);
    const ten = await measure(10);
    const hundred = await measure(RUNS);
    console.log(`  { __typename } (fixed cost of a request): p50 ${fmt(median(trivial))} ms`);
    console.log(`  10 runs:  ${ten.count} statements, p50 ${fmt(median(ten.ms))} ms, p99 ${fmt(percentile(ten.ms, 99))} ms`);
    console.log(`  100 runs: ${hundred.count} statements, p50 ${fmt(median(hundred.ms))} ms, p99 ${fmt(percentile(hundred.ms, 99))} ms = ${fmt(median(hundred.ms) / median(ten.ms), 2)}× the 10-run query (complete: ${hundred.complete})`);
    goal('reads: statements constant in the page size', hundred.count === ten.count && hundred.complete, `${hundred.count} statements for 100 runs, ${ten.count} for 10`);
  } finally {
    await app.stop();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReads();
