import { defineDomain } from '../kernel/domain-module.js';
import type { MetricService } from '../metrics/metric.service.js';
import type { RunService } from '../runs/run.service.js';
import { RunEventsService } from './run-events.service.js';
import { eventResolvers } from './event.resolvers.js';

/** Run events: the live (and resumable) stream of what happens to runs. */
export const eventsDomain = defineDomain({
  name: 'events',
  services: (infra, { runs, metrics }: { runs: RunService; metrics: MetricService }) => ({
    events: new RunEventsService(infra.pubsub, runs, metrics),
  }),
  resolvers: eventResolvers,
  mappers: {
    MetricsLogged: 'kernel/run-event.js#RunEvent',
    EpochCompleted: 'kernel/run-event.js#RunEvent',
    StatusChanged: 'kernel/run-event.js#RunEvent',
    RunNote: 'kernel/run-event.js#RunEvent',
  },
});
