/**
 * Where a 10,000-point logMetricSeries batch spends its time, one layer at a time, on one
 * database (`npx tsx bench/ingestion-breakdown.ts`; BENCH_REPEATS, default 5 batches of
 * 10 × 10,000 points per layer, layers interleaved so the machine's drift hits each):
 *   direct      the bench's baseline: a plain INSERT … SELECT FROM unnest
 *   upsert      the same rows with ON CONFLICT DO UPDATE (idempotence), no rollups
 *   statement   the API's statement for new points: insert + rollups merged, with its run-open check
 *               (a batch with a point stored already falls back to the upsert; not measured here)
 *   service     MetricService.logMetricSeries in this process: + batch building, transaction, event
 *   http        the same through the API over HTTP (JSON, GraphQL coercion), from this process
 */
import pg from 'pg';
import { startBenchDatabase, startBenchApp, timed, median, fmt, fmtInt, createRuns, header } from './support.js';
import { upsertPointsAndRollupsSql } from '../src/metrics/metric-rollup.sql.js';
import { seriesBatch } from '../src/metrics/metric-batch.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const N = 10_000;
const BATCHES = 10;
const RUN_IS_OPEN = `EXISTS (SELECT 1 FROM runs WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') FOR SHARE)`;
const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }`;

header(`ingestion breakdown: ${BATCHES} × ${fmtInt(N)}-point batches per layer, median of ${REPEATS}`);
const db = await startBenchDatabase();
const url = await db.createDatabase();
const app = await startBenchApp(url);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const now = new Date().toISOString();
let step = 0;

type Send = (runId: string, steps: number[], values: number[]) => Promise<unknown>;
const layers: Record<string, Send> = {
  direct: (runId, steps, values) => pool.query(
    `INSERT INTO metric_points (run_id, key, step, value, time) SELECT $1, k, s, v, t FROM unnest($2::text[], $3::int[], $4::float8[], $5::timestamptz[]) AS p(k, s, v, t)`,
    [runId, steps.map(() => 'loss'), steps, values, steps.map(() => now)]),
  upsert: (runId, steps, values) => pool.query(
    `INSERT INTO metric_points (run_id, key, step, value, time) SELECT $1, k, s, v, $5 FROM unnest($2::text[], $3::int[], $4::float8[]) AS p(k, s, v)
     ON CONFLICT (run_id, key, step) DO UPDATE SET value = EXCLUDED.value, time = EXCLUDED.time`,
    [runId, steps.map(() => 'loss'), steps, values, now]),
  statement: (runId, steps, values) => {
    const { columns: c } = seriesBatch([{ key: 'loss', steps, values }]);
    return pool.query(upsertPointsAndRollupsSql(RUN_IS_OPEN, { newPointsOnly: true }), [runId, c.keys, c.steps, c.values, c.times, c.now]);
  },
  service: (runId, steps, values) => app.services.metrics.logMetricSeries(runId, [{ key: 'loss', steps, values }]),
  http: async (runId, steps, values) => {
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LOG_SERIES, variables: { runId, series: [{ key: 'loss', steps, values }] } }) });
    const json = (await response.json()) as { errors?: unknown };
    if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 300));
  },
};

const rates: Record<string, number[]> = Object.fromEntries(Object.keys(layers).map((k) => [k, []]));
try {
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, send] of Object.entries(layers)) {
      const [runId] = await createRuns(app.url, 1, `breakdown-${name}`);
      const batches = Array.from({ length: BATCHES }, () => {
        const steps = Array.from({ length: N }, () => step++);
        return { steps, values: steps.map((s) => Math.exp(-s / 1e6)) };
      });
      const { ms } = await timed(async () => {
        for (const b of batches) await send(runId, b.steps, b.values);
      });
      rates[name].push((N * BATCHES) / (ms / 1000));
    }
  }
  const direct = median(rates.direct);
  for (const [name, xs] of Object.entries(rates)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(10)} ${fmtInt(m).padStart(9)} points/s  ${fmt(m / direct, 2)}× direct  ${fmt((N / m) * 1000, 1).padStart(6)} ms per batch  [${xs.map(fmtInt).join(', ')}]`);
  }
} finally {
  await pool.end();
  await app.stop();
  await db.stop();
}
