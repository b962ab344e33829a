import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';
import { stopServer, header, goal, startBenchDatabase, percentile, fmt, post, createRuns, sleep } from './support.js';

/**
 * Fan-out: graphql-ws subscribers on one run while one writer logs one step
 * every 10 ms (100 steps/s) over HTTP. Latency is from the moment the writer
 * has the mutation's response to the moment a subscriber has the event (it can
 * be negative: NOTIFY goes out at commit, just before the response). Servers
 * are separate processes as deployed; the subscribers live in this process.
 * Baseline in the same run: one subscriber. Goals: p99 < 50 ms with 200
 * subscribers on one process, < 100 ms across two; 1,000 subscribers held.
 */
const STEPS = Number(process.env.BENCH_FANOUT_STEPS ?? 500);
const STEP_INTERVAL_MS = 10;
const SUBSCRIPTION = `subscription($runId: ID!) { runEvents(runId: $runId, afterStep: -1) { __typename ... on MetricsLogged { points { step } } } }`;
const LOG = `mutation($runId: ID!, $step: Int!) { logMetrics(runId: $runId, points: [{ key: "loss", step: $step, value: 0.5 }]) { accepted } }`;

interface Subscribers {
  /** Arrival times (performance.now()) per step, one entry per subscriber that got it. */
  arrivals: Map<number, number[]>;
  close(): Promise<void>;
}

/** `count` subscribers, one WebSocket each; resolves once every one has its first (backlog) event. */
async function subscribe(httpUrl: string, runId: string, count: number): Promise<Subscribers> {
  const arrivals = new Map<number, number[]>();
  const clients: Client[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    ready.push(new Promise<void>((resolve, reject) => {
      client.subscribe<{ runEvents: { __typename: string; points?: { step: number }[] } }>({ query: SUBSCRIPTION, variables: { runId } }, {
        next: (result) => {
          const now = performance.now();
          for (const p of result.data?.runEvents.points ?? []) {
            let list = arrivals.get(p.step);
            if (!list) arrivals.set(p.step, (list = []));
            list.push(now);
          }
          resolve();
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => undefined,
      });
    }));
    // Connect in small waves so the server's accept queue is not the thing measured.
    if (i % 50 === 49) await Promise.all(ready.slice(-50));
  }
  await Promise.all(ready);
  return { arrivals, close: async () => void (await Promise.all(clients.map((c) => c.dispose()))) };
}

/** One step per 10 ms; returns when each step's response arrived. */
async function write(httpUrl: string, runId: string, firstStep: number): Promise<Map<number, number>> {
  const responded = new Map<number, number>();
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const step = firstStep + i;
    await post(httpUrl, LOG, { runId, step });
    responded.set(step, performance.now());
    const next = started + (i + 1) * STEP_INTERVAL_MS;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return responded;
}

async function measure(label: string, writer: ServerProcess, reader: ServerProcess, subscribers: number) {
  const [runId] = await createRuns(writer.url, 1, `fan-out-${subscribers}`);
  const subs = await subscribe(reader.url, runId, subscribers);
  await sleep(300);
  const responded = await write(writer.url, runId, 0);
  await sleep(1_000);
  const latencies: number[] = [];
  let missing = 0;
  for (const [step, at] of responded) {
    const got = subs.arrivals.get(step) ?? [];
    missing += subscribers - got.length;
    for (const t of got) latencies.push(t - at);
  }
  await subs.close();
  const result = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), missing, deliveries: latencies.length };
  console.log(`  ${label.padEnd(44)} p50 ${fmt(result.p50).padStart(6)} ms, p99 ${fmt(result.p99).padStart(6)} ms, ${result.deliveries} deliveries, ${missing} missing`);
  return result;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export async function benchFanOut(): Promise<void> {
  header(`fan-out: one writer at ${1000 / STEP_INTERVAL_MS} steps/s for ${STEPS} steps`);
  const db = await startBenchDatabase();
  const databaseUrl = await db.createDatabase();
  const a = await spawnServer(databaseUrl, { EPOCHAL_WORKER: 'off' });
  const b = await spawnServer(databaseUrl, { EPOCHAL_WORKER: 'off' });
  try {
    await post(a.url, `{ __typename }`);
    const one = await measure('1 subscriber, one process (baseline)', a, a, 1);
    const single = await measure('200 subscribers, one process', a, a, 200);
    const oneAcross = await measure('1 subscriber, across two processes (baseline)', a, b, 1);
    const across = await measure('200 subscribers, writer on A, readers on B', a, b, 200);
    console.log(`  ratios to the 1-subscriber baselines: p99 ${fmt(single.p99 / one.p99, 2)}× (one process), ${fmt(across.p99 / oneAcross.p99, 2)}× (two processes)`);
    goal('fan-out p99 < 50 ms, 200 subscribers, one process', single.p99 < 50 && single.missing === 0, `${fmt(single.p99)} ms`);
    goal('fan-out p99 < 100 ms, 200 subscribers, two processes', across.p99 < 100 && across.missing === 0, `${fmt(across.p99)} ms`);

    const idle = rssMb(a.child.pid!);
    const held = await measure('1,000 subscribers held on one process', a, a, 1_000);
    const busy = rssMb(a.child.pid!);
    console.log(`  server RSS ${fmt(idle, 0)} MB before, ${fmt(busy, 0)} MB with 1,000 subscriptions (${fmt(((busy - idle) * 1024) / 1000, 0)} kB each)`);
    goal('1,000 subscribers held on one process, every event delivered', held.missing === 0, `p50 ${fmt(held.p50)} ms, p99 ${fmt(held.p99)} ms`);
  } finally {
    await stopServer(a);
    await stopServer(b);
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFanOut();
