import DataLoader from 'dataloader';
import { defineDomain } from '../kernel/domain-module.js';
import { groupBy } from '../kernel/group-rows.js';
import type { RunService } from '../runs/run.service.js';
import type { EpochRecord, MetricSummaryRecord } from './metric.record.js';
import { MetricRepository } from './metric.repository.js';
import { MetricService } from './metric.service.js';
import { metricResolvers } from './metric.resolvers.js';

export const metricsDomain = defineDomain({
  name: 'metrics',
  services: (infra, { runs }: { runs: RunService }) => ({
    metrics: new MetricService(infra.dataSource, new MetricRepository(infra.dataSource), runs, infra.pubsub),
  }),
  resolvers: metricResolvers,
  loaders: ({ metrics }) => ({
    epochs: new DataLoader<string, EpochRecord[]>(async (ids) => groupBy(ids, await metrics.epochsOfRuns(ids), (r) => r.runId)),
    metricKeys: new DataLoader<string, string[]>(async (ids) =>
      groupBy(ids, await metrics.metricKeysOfRuns(ids), (r) => r.runId).map((rows) => rows.map((r) => r.key))),
    summaries: new DataLoader<string, MetricSummaryRecord[]>(async (ids) => groupBy(ids, await metrics.summariesOfRuns(ids), (r) => r.runId)),
  }),
  mappers: {
    Epoch: 'metrics/metric.record.js#EpochRecord',
    MetricPoint: 'metrics/metric.record.js#MetricPointRecord',
    MetricSeries: 'metrics/metric.service.js#MetricSeries',
    MetricSummary: 'metrics/metric.record.js#MetricSummaryRecord',
  },
});
