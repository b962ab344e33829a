import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at /metrics. */
export function createMetrics(options: {
  queueDepth: () => Promise<number>;
  activeSubscriptions: () => number;
  /** Latest images/s of each running training, from any worker (read from the database). */
  trainingThroughput: () => Promise<{ runId: string; engine: string | null; imagesPerSecond: number }[]>;
}) {
  const registry = new Registry();
  // prom-client's names already start with process_/nodejs_: epochal_process_cpu_user_seconds_total.
  collectDefaultMetrics({ register: registry, prefix: 'epochal_' });
  const operations = new Counter({
    name: 'epochal_graphql_operations_total',
    help: 'GraphQL operations answered, by transport, type and outcome',
    labelNames: ['transport', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'epochal_graphql_errors_total',
    help: 'GraphQL errors answered, by code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const pointsIngested = new Counter({ name: 'epochal_metric_points_ingested_total', help: 'Metric points accepted by logMetrics', registers: [registry] });
  new Gauge({
    name: 'epochal_queue_depth',
    help: 'Training jobs waiting or running',
    registers: [registry],
    async collect() {
      this.set(await options.queueDepth().catch(() => -1));
    },
  });
  new Gauge({
    name: 'epochal_active_subscriptions',
    help: 'Open GraphQL subscriptions on this process',
    registers: [registry],
    collect() {
      this.set(options.activeSubscriptions());
    },
  });
  new Gauge({
    name: 'epochal_training_images_per_second',
    help: 'Latest epoch throughput of each running TensorFlow.js training, whichever worker runs it',
    labelNames: ['run_id', 'engine'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await options.trainingThroughput().catch(() => [])) {
        this.set({ run_id: row.runId, engine: row.engine ?? 'unknown' }, row.imagesPerSecond);
      }
    },
  });
  return { registry, operations, errors, pointsIngested };
}

export type Metrics = ReturnType<typeof createMetrics>;
