import { header, goal, startBenchDatabase, startBenchApp, timed, median, fmt, fmtInt, post, createRuns } from './support.js';

/**
 * Long curves: one key with 1,000,000 points. `metric(maxPoints: 1000)`
 * server-side (the service call, p50 of 20) against fetching every point of the
 * same series in the same run; then ten such runs in one GraphQL query.
 * Goals: < 100 ms for one, < 300 ms for ten, each bucket's min and max present.
 */
const POINTS = Number(process.env.BENCH_CURVE_POINTS ?? 1_000_000);
const RUNS = 10;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const SPIKE = { step: Math.floor(POINTS * 0.777777), value: 50 };
const DIP = { step: Math.floor(POINTS * 0.333333), value: -3 };
const valueAt = (i: number) => (i === SPIKE.step ? SPIKE.value : i === DIP.step ? DIP.value : 2 * Math.exp(-i / 200_000) + 0.01 * Math.sin(i / 10));

const METRIC_OF_RUN = `query($id: ID!) { run(id: $id) { metric(key: "loss", maxPoints: 1000) { totalPoints downsampled points { step value } } } }`;
const METRIC_OF_TEN = `query { runs(first: ${RUNS}) { edges { node { id metric(key: "loss", maxPoints: 1000) { totalPoints downsampled points { step value } } } } } }`;

export async function benchLongCurves(): Promise<void> {
  header(`long curves: ${fmtInt(POINTS)} points per run, ${RUNS} runs`);
  const db = await startBenchDatabase();
  const app = await startBenchApp(await db.createDatabase());
  try {
    const runIds = await createRuns(app.url, RUNS, 'long-curve');
    const fill = await timed(async () => {
      for (let offset = 0; offset < POINTS; offset += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, POINTS - offset) }, (_, i) => ({ key: 'loss', step: offset + i, value: valueAt(offset + i) }));
        await app.services.metrics.logMetrics(runIds[0], batch);
      }
    });
    console.log(`  filled run 0 through logMetrics (in process, 10,000-point batches): ${fmt(fill.ms / 1000)} s, ${fmtInt(POINTS / (fill.ms / 1000))} points/s`);
    // The other nine are copies made in SQL (rows and, when present, rollups): same shape, a fraction of the time.
    const hasRollups = (await app.dataSource.query(`SELECT to_regclass('metric_rollups') IS NOT NULL AS present`))[0].present as boolean;
    const copy = await timed(async () => {
      for (const runId of runIds.slice(1)) {
        await app.dataSource.query(`INSERT INTO metric_points (run_id, key, step, value, time) SELECT $1, key, step, value, time FROM metric_points WHERE run_id = $2`, [runId, runIds[0]]);
        if (hasRollups) {
          await app.dataSource.query(
            `INSERT INTO metric_rollups (run_id, key, level, bucket, point_count, min_value, min_step, max_value, max_step)
             SELECT $1, key, level, bucket, point_count, min_value, min_step, max_value, max_step FROM metric_rollups WHERE run_id = $2`, [runId, runIds[0]]);
        }
      }
      await app.dataSource.query('VACUUM ANALYZE');
    });
    console.log(`  copied to ${RUNS - 1} more runs in SQL${hasRollups ? ' (with rollups)' : ''}: ${fmt(copy.ms / 1000)} s`);

    // Correctness first: the downsampled series keeps the spike and the dip and stays within bounds.
    const series = await app.services.metrics.series(runIds[0], 'loss', 1000, null);
    const keepsExtremes = series.points.some((p) => p.step === SPIKE.step && p.value === SPIKE.value) && series.points.some((p) => p.step === DIP.step && p.value === DIP.value);
    const withinBounds = series.totalPoints === POINTS && series.downsampled && series.points.length >= 500 && series.points.length <= 1000;
    console.log(`  metric(maxPoints: 1000): ${series.points.length} points of ${fmtInt(series.totalPoints)}, spike and dip kept: ${keepsExtremes}`);

    const one: number[] = [];
    for (let i = 0; i < SAMPLES; i++) one.push((await timed(() => app.services.metrics.series(runIds[i % RUNS], 'loss', 1000, null))).ms);
    const every: number[] = [];
    for (let i = 0; i < 3; i++) every.push((await timed(() => app.dataSource.query(`/* benchEveryPoint */ SELECT step, value, time FROM metric_points WHERE run_id = $1 AND key = 'loss' ORDER BY step`, [runIds[i]]))).ms);
    const httpOne: number[] = [];
    for (let i = 0; i < SAMPLES; i++) httpOne.push((await timed(() => post(app.url, METRIC_OF_RUN, { id: runIds[i % RUNS] }))).ms);
    const ten: number[] = [];
    for (let i = 0; i < SAMPLES; i++) ten.push((await timed(() => Promise.all(runIds.map((id) => app.services.metrics.series(id, 'loss', 1000, null))))).ms);
    const httpTen: number[] = [];
    let tenOk = true;
    for (let i = 0; i < SAMPLES; i++) {
      const { ms, result } = await timed(() => post(app.url, METRIC_OF_TEN));
      httpTen.push(ms);
      tenOk &&= result.runs.edges.length === RUNS && result.runs.edges.every((e: { node: { metric: { totalPoints: number } } }) => e.node.metric.totalPoints === POINTS);
    }

    const p50One = median(one);
    const p50Every = median(every);
    console.log(`  fetch every point (baseline, service, median of 3): ${fmt(p50Every)} ms`);
    console.log(`  metric(maxPoints: 1000), service p50 of ${SAMPLES}: ${fmt(p50One)} ms = ${fmt(p50One / p50Every, 4)}× the baseline (${fmt(p50Every / p50One)}× faster)`);
    console.log(`  metric(maxPoints: 1000), HTTP round trip p50 of ${SAMPLES}: ${fmt(median(httpOne))} ms`);
    console.log(`  ten runs, service p50 of ${SAMPLES}: ${fmt(median(ten))} ms; one GraphQL query over HTTP p50: ${fmt(median(httpTen))} ms (all ten complete: ${tenOk})`);
    goal('long curve < 100 ms server-side, min and max kept', p50One < 100 && keepsExtremes && withinBounds, `${fmt(p50One)} ms p50`);
    goal('ten long curves < 300 ms in one query', median(httpTen) < 300 && tenOk, `${fmt(median(httpTen))} ms p50 over HTTP (${fmt(median(ten))} ms in the services)`);
  } finally {
    await app.stop();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLongCurves();
