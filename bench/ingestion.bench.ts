import pg from 'pg';
import { spawnServer } from '../test/support/server-process.js';
import { stopServer, header, goal, startBenchDatabase, timed, median, fmt, fmtInt, createRuns } from './support.js';

/**
 * Ingestion: logMetrics through GraphQL over HTTP (a separate server process,
 * as deployed) against the same rows written straight into the same database
 * with `pg`, one `INSERT ... SELECT FROM unnest(...)` per batch. Batches of
 * 1,000 and 10,000 points, 1 and 8 concurrent clients, each client on its own
 * run. Request bodies are built before the clock starts so the bench process
 * competes as little as possible for the two cores. Goal at 10,000-point
 * batches: ≥ 0.5× direct and ≥ 100,000 points/s for the row form (logMetrics);
 * ≥ 0.8× direct and ≥ 150,000 points/s for the columnar form (logMetricSeries)
 * from one client.
 */
const POINTS_PER_CASE = Number(process.env.BENCH_INGEST_POINTS ?? 200_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/**
 * The API runs with NODE_ENV=production, as the Dockerfile deploys it:
 * graphql-js then skips its development-only checks (every `instanceof` of a
 * type during variable coercion also compares class names; ~9% of the API's
 * CPU at 10,000-point batches). BENCH_NODE_ENV= (empty) measures without it.
 */
const API_NODE_ENV = process.env.BENCH_NODE_ENV ?? 'production';
const CASES = [
  { batch: 1_000, clients: 1 },
  { batch: 1_000, clients: 8 },
  { batch: 10_000, clients: 1 },
  { batch: 10_000, clients: 8 },
];
const LOG = `mutation($runId: ID!, $points: [MetricInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }`;

interface Batch { runId: string; keys: string[]; steps: number[]; values: number[]; times: string[] }

/** Each client's batches: consecutive steps, so every point is new (the common case: a curve growing). */
function plan(runIds: string[], batch: number, firstStep: number): Batch[][] {
  const perClient = Math.ceil(POINTS_PER_CASE / runIds.length / batch);
  const time = new Date().toISOString();
  return runIds.map((runId) => Array.from({ length: perClient }, (_, b) => {
    const steps = Array.from({ length: batch }, (_, i) => firstStep + b * batch + i);
    return { runId, keys: steps.map(() => 'loss'), steps, values: steps.map((s) => Math.exp(-s / 1e6)), times: steps.map(() => time) };
  }));
}

/** Sends one prepared GraphQL body; a GraphQL error stops the bench. */
function postBody(url: string) {
  return async ({ body }: { body: string }) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await response.json()) as { errors?: unknown };
    if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 300));
  };
}

async function runClients<T extends { steps: number[] }>(batches: T[][], send: (b: T) => Promise<void>): Promise<number> {
  const { ms } = await timed(() => Promise.all(batches.map(async (mine) => {
    for (const b of mine) await send(b);
  })));
  const points = batches.reduce((n, mine) => n + mine.reduce((m, b) => m + b.steps.length, 0), 0);
  return points / (ms / 1000);
}

export async function benchIngestion(): Promise<void> {
  header(`ingestion: ${fmtInt(POINTS_PER_CASE)} points per case, median of ${REPEATS}, API with NODE_ENV=${API_NODE_ENV || '(unset)'}`);
  const db = await startBenchDatabase();
  const databaseUrl = await db.createDatabase();
  const server = await spawnServer(databaseUrl, { EPOCHAL_WORKER: 'off', LOG_LEVEL: 'info', NODE_ENV: API_NODE_ENV });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  try {
    let nextStep = 0;
    for (const { batch, clients } of CASES) {
      const viaGraphql: number[] = [];
      const viaColumns: number[] = [];
      const direct: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        // Fresh runs per repeat; the three alternate so drift in the machine hits each.
        const gqlRuns = await createRuns(server.url, clients, `ingest-gql-${batch}-${clients}`);
        const colRuns = await createRuns(server.url, clients, `ingest-col-${batch}-${clients}`);
        const sqlRuns = await createRuns(server.url, clients, `ingest-sql-${batch}-${clients}`);
        const bodies = plan(gqlRuns, batch, nextStep).map((mine) => mine.map((b) => ({
          steps: b.steps,
          body: JSON.stringify({ query: LOG, variables: { runId: b.runId, points: b.steps.map((s, i) => ({ key: b.keys[i], step: s, value: b.values[i] })) } }),
        })));
        const columnBodies = plan(colRuns, batch, nextStep).map((mine) => mine.map((b) => ({
          steps: b.steps,
          body: JSON.stringify({ query: LOG_SERIES, variables: { runId: b.runId, series: [{ key: b.keys[0], steps: b.steps, values: b.values }] } }),
        })));
        const rows = plan(sqlRuns, batch, nextStep);
        nextStep += POINTS_PER_CASE;
        viaGraphql.push(await runClients(bodies, postBody(server.url)));
        viaColumns.push(await runClients(columnBodies, postBody(server.url)));
        direct.push(await runClients(rows, async (b) => {
          await pool.query(
            `/* benchDirectInsert */ INSERT INTO metric_points (run_id, key, step, value, time)
             SELECT $1, k, s, v, t FROM unnest($2::text[], $3::int[], $4::float8[], $5::timestamptz[]) AS p(k, s, v, t)`,
            [b.runId, b.keys, b.steps, b.values, b.times]);
        }));
      }
      const g = median(viaGraphql);
      const c = median(viaColumns);
      const d = median(direct);
      const runs = (xs: number[]) => xs.map((x) => fmtInt(x)).join(', ');
      console.log(`  batch ${fmtInt(batch).padStart(6)} × ${clients} client(s): logMetrics ${fmtInt(g).padStart(9)} points/s (${fmt(g / d, 2)}×), logMetricSeries ${fmtInt(c).padStart(9)} points/s (${fmt(c / d, 2)}×), direct pg ${fmtInt(d).padStart(9)} points/s  [runs: ${runs(viaGraphql)} | ${runs(viaColumns)} | ${runs(direct)}]`);
      if (batch === 10_000) {
        goal(`logMetrics at 10,000-point batches, ${clients} client(s): ≥ 0.5× direct and ≥ 100,000 points/s`, g / d >= 0.5 && g >= 100_000, `${fmtInt(g)} points/s, ${fmt(g / d, 2)}× direct`);
        if (clients === 1) goal('logMetricSeries at 10,000-point batches, 1 client: ≥ 0.8× direct and ≥ 150,000 points/s', c / d >= 0.8 && c >= 150_000, `${fmtInt(c)} points/s, ${fmt(c / d, 2)}× direct`);
      }
    }
  } finally {
    await pool.end();
    await stopServer(server);
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngestion();
