import type { EpochRecord, MetricPointRecord } from '../metrics/metric.entity.js';
import type { RunStatus } from '../runs/run.entity.js';

/**
 * What travels on a run's topic. A logMetrics batch travels as one message
 * (several keys); subscribers receive it as one MetricsLogged per key.
 */
export type RunMessage =
  | { type: 'metrics'; runId: string; series: { key: string; points: { step: number; value: number; time: string }[] }[] }
  | { type: 'epoch'; runId: string; epoch: Omit<EpochRecord, 'createdAt'> & { createdAt: string } }
  | { type: 'status'; runId: string; status: RunStatus; error: string | null }
  | { type: 'note'; runId: string; message: string; time: string };

/** The GraphQL RunEvent union's members, as resolvers return them. */
export type RunEvent =
  | { __typename: 'MetricsLogged'; runId: string; key: string; points: MetricPointRecord[] }
  | { __typename: 'EpochCompleted'; runId: string; epoch: EpochRecord }
  | { __typename: 'StatusChanged'; runId: string; status: RunStatus; error: string | null }
  | { __typename: 'RunNote'; runId: string; message: string; time: Date };

export function toRunEvents(message: RunMessage): RunEvent[] {
  switch (message.type) {
    case 'metrics':
      return message.series.map((s) => ({
        __typename: 'MetricsLogged' as const,
        runId: message.runId,
        key: s.key,
        points: s.points.map((p) => ({ step: p.step, value: p.value, time: new Date(p.time) })),
      }));
    case 'epoch':
      return [{ __typename: 'EpochCompleted', runId: message.runId, epoch: { ...message.epoch, createdAt: new Date(message.epoch.createdAt) } }];
    case 'status':
      return [{ __typename: 'StatusChanged', runId: message.runId, status: message.status, error: message.error }];
    case 'note':
      return [{ __typename: 'RunNote', runId: message.runId, message: message.message, time: new Date(message.time) }];
  }
}
