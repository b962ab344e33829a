import { header, goal, startBenchDatabase, startBenchApp, timed, median, percentile, fmt, post } from './support.js';

/**
 * Finding the best runs: 10,000 runs in one project, each with 5 parameters
 * and 20 summarised metric keys (200,000 summary rows), queried as "runs with
 * learningRate 0.001 whose val_accuracy reached 0.9, best first", page one and
 * page three by cursor, against the plain newest-first page of the same size
 * measured in the same run. The summaries are written by SQL (what ingestion
 * leaves behind), since logging 10,000 runs through the API is another bench.
 */
const RUNS = 10_000;
const KEYS = 20;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const QUERY = `query($filter: RunFilter, $orderBy: RunOrder, $after: String) {
  runs(first: 50, filter: $filter, orderBy: $orderBy, after: $after) { totalCount pageInfo { endCursor } edges { node { id name } } }
}`;
const BEST = {
  filter: { project: 'sweep', metrics: [{ key: 'val_accuracy', aggregate: 'MAX', gte: 0.9 }], params: [{ key: 'learningRate', equals: '0.001' }] },
  orderBy: { metric: 'val_accuracy', aggregate: 'MAX' },
};

export async function benchBestRuns(): Promise<void> {
  header(`best runs: ${RUNS.toLocaleString('en-US')} runs × ${KEYS} summarised keys, filtered on a metric and a parameter, best first`);
  const db = await startBenchDatabase();
  const app = await startBenchApp(await db.createDatabase());
  try {
    await post(app.url, `mutation { createProject(name: "sweep") { id } }`);
    const q = (sql: string) => app.dataSource.query(sql);
    await q(`INSERT INTO runs (name, trainer, status, project_id)
             SELECT 'sweep-' || i, 'EXTERNAL', 'SUCCEEDED', (SELECT id FROM projects WHERE name = 'sweep') FROM generate_series(1, ${RUNS}) AS i`);
    await q(`INSERT INTO run_params (run_id, key, value, num)
             SELECT id, p.key, v::text, v FROM runs,
               LATERAL (VALUES ('learningRate', (ARRAY[0.1, 0.01, 0.001, 0.0001])[1 + seq % 4]), ('batchSize', 32 * (1 + seq % 3)),
                 ('dropout', 0.1 * (seq % 5)), ('epochs', 50), ('seed', seq)) AS p(key, v)`);
    await q(`INSERT INTO metric_summaries (run_id, key, last_step, last_value, last_time, min_value, max_value, point_count)
             SELECT id, CASE WHEN k = 0 THEN 'val_accuracy' ELSE 'metric_' || k END, 99, m * 0.95, now(), m * 0.3, m, 100
             FROM runs, generate_series(0, ${KEYS - 1}) AS k, LATERAL (SELECT random() + 0 * k + 0 * seq AS m) AS r -- correlated, so drawn per row`);
    await q('VACUUM ANALYZE');

    const sample = async (variables: Record<string, unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i++) ms.push((await timed(() => post(app.url, QUERY, variables))).ms);
      return ms;
    };
    const plain = await sample({});
    const first = await post(app.url, QUERY, BEST);
    const second = await post(app.url, QUERY, { ...BEST, after: first.runs.pageInfo.endCursor });
    const third = await post(app.url, QUERY, { ...BEST, after: second.runs.pageInfo.endCursor });
    const best = await sample(BEST);
    const paged = await sample({ ...BEST, after: second.runs.pageInfo.endCursor });
    const matches = first.runs.totalCount;
    const ordered = [...first.runs.edges, ...second.runs.edges, ...third.runs.edges].length === 150;
    console.log(`  newest first, 50 runs (baseline): p50 ${fmt(median(plain))} ms, p99 ${fmt(percentile(plain, 99))} ms`);
    console.log(`  best first, filtered (${matches} of ${RUNS} match), page 1: p50 ${fmt(median(best))} ms, p99 ${fmt(percentile(best, 99))} ms`);
    console.log(`  the same, page 3 by cursor: p50 ${fmt(median(paged))} ms = ${fmt(median(paged) / median(plain), 2)}× the baseline`);
    goal('best runs: a filtered, sorted page within 5× the plain page', median(best) < 5 * median(plain) && ordered,
      `${fmt(median(best))} ms against ${fmt(median(plain))} ms (three pages of 50 complete: ${ordered})`);
  } finally {
    await app.stop();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBestRuns();
