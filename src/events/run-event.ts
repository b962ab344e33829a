import type { EpochRecord, MetricPointRecord } from '../metrics/metric.entity.js';
import type { RunStatus } from '../runs/run.entity.js';

/**
 * What travels on a run's topic. A logMetrics batch travels as one message
 * (several keys), each key's points in columns (`times` holds one entry when
 * every point shares it); subscribers receive it as one MetricsLogged per key.
 */
export type RunMessage =
  | { type: 'metrics'; runId: string; series: { key: string; steps: number[]; values: number[]; times: string[] }[] }
  | { type: 'epoch'; runId: string; epoch: Omit<EpochRecord, 'createdAt'> & { createdAt: string } }
  | { type: 'status'; runId: string; status: RunStatus; error: string | null }
  | { type: 'note'; runId: string; noteId: string; message: string; time: string };

/** The GraphQL RunEvent union's members, as resolvers return them. */
export type RunEvent =
  | { __typename: 'MetricsLogged'; runId: string; key: string; points: MetricPointRecord[] }
  | { __typename: 'EpochCompleted'; runId: string; epoch: EpochRecord }
  | { __typename: 'StatusChanged'; runId: string; status: RunStatus; error: string | null }
  | { __typename: 'RunNote'; runId: string; id: string; message: string; time: Date };

/**
 * Every subscriber of a run receives the same message object: convert it once
 * and share the (read-only) events, instead of once per subscriber per event.
 */
const converted = new WeakMap<RunMessage, RunEvent[]>();

export function toRunEvents(message: RunMessage): RunEvent[] {
  let events = converted.get(message);
  if (!events) converted.set(message, (events = convert(message)));
  return events;
}

function convert(message: RunMessage): RunEvent[] {
  switch (message.type) {
    case 'metrics':
      return message.series.map((s) => {
        const shared = s.times.length === 1 ? new Date(s.times[0]) : null;
        return {
          __typename: 'MetricsLogged' as const,
          runId: message.runId,
          key: s.key,
          points: s.steps.map((step, i) => ({ step, value: s.values[i], time: shared ?? new Date(s.times[i]) })),
        };
      });
    case 'epoch':
      return [{ __typename: 'EpochCompleted', runId: message.runId, epoch: { ...message.epoch, createdAt: new Date(message.epoch.createdAt) } }];
    case 'status':
      return [{ __typename: 'StatusChanged', runId: message.runId, status: message.status, error: message.error }];
    case 'note':
      return [{ __typename: 'RunNote', runId: message.runId, id: message.noteId, message: message.message, time: new Date(message.time) }];
  }
}
