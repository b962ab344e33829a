/** Which kind of trainer a run has; EXTERNAL runs are reported by scripts. */
export type TrainerKind = 'TFJS' | 'REKOGNITION' | 'EXTERNAL';
export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const FINISHED_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface EpochRecord {
  runId: string;
  phase: string;
  index: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
  durationMs: number | null;
  createdAt: Date;
}

export interface MetricPointRecord {
  step: number;
  value: number;
  time: Date;
}

/**
 * What travels on a run's topic. A logMetrics batch travels as one message
 * (several keys), each key's points packed in columns (see MetricsSeries);
 * subscribers receive it as one MetricsLogged per key.
 */
export type RunMessage =
  | { type: 'metrics'; runId: string; series: MetricsSeries[] }
  | { type: 'epoch'; runId: string; epoch: Omit<EpochRecord, 'createdAt'> & { createdAt: string } }
  | { type: 'status'; runId: string; status: RunStatus; error: string | null }
  | { type: 'note'; runId: string; noteId: string; message: string; time: string };

/**
 * One key's points of a batch, in step order, as they travel (a 10,000-point
 * batch is parked for NOTIFY, so its size is PostgreSQL's work): `values` the
 * float64s little-endian in base64, exact to the bit and a third of their
 * JSON size, with no numbers for PostgreSQL's JSON check to read; `steps` one
 * entry when the steps are consecutive from it; `times` one entry when every
 * point shares it (the usual "now").
 */
export interface MetricsSeries { key: string; steps: number[]; values: string; times: string[] }

/** Packs one key's points: `steps` strictly increasing, one value and one time per step. */
export function packSeries(key: string, steps: number[], values: number[], times: string[]): MetricsSeries {
  const n = steps.length;
  const bytes = Buffer.allocUnsafe(n * 8);
  for (let i = 0; i < n; i++) bytes.writeDoubleLE(values[i], i * 8);
  return {
    key,
    steps: n > 1 && steps[n - 1] - steps[0] === n - 1 ? [steps[0]] : steps,
    values: bytes.toString('base64'),
    times: times.every((t) => t === times[0]) ? [times[0]] : times,
  };
}

/** The columns packSeries was given (`times` left with one entry when they were all one). */
export function unpackSeries(s: MetricsSeries): { key: string; steps: number[]; values: number[]; times: string[] } {
  const bytes = Buffer.from(s.values, 'base64');
  const values = Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(i * 8));
  const steps = s.steps.length === 1 ? values.map((_, i) => s.steps[0] + i) : s.steps;
  return { key: s.key, steps, values, times: s.times };
}

/**
 * The GraphQL RunEvent union's members, as resolvers return them. `cursor` is
 * the event's place in its run's commit order (see eventCursor); null where it
 * has none (runStatusChanged).
 */
export type RunEvent = (
  | { __typename: 'MetricsLogged'; runId: string; key: string; points: MetricPointRecord[] }
  | { __typename: 'EpochCompleted'; runId: string; epoch: EpochRecord }
  | { __typename: 'StatusChanged'; runId: string; status: RunStatus; error: string | null }
  | { __typename: 'RunNote'; runId: string; id: string; message: string; time: Date }
) & { cursor?: string | null };

/**
 * Every subscriber of a run receives the same message object: convert it once
 * and share the (read-only) events, instead of once per subscriber per event.
 */
const converted = new WeakMap<RunMessage, RunEvent[]>();

export function toRunEvents(message: RunMessage, seq?: string): RunEvent[] {
  let events = converted.get(message);
  if (!events) {
    events = convert(message);
    // A logged message (seq) of several events: each its own cursor, so a resume can start between them.
    if (seq !== undefined) events = events.map((event, index) => ({ ...event, cursor: eventCursor(seq, index) }));
    converted.set(message, events);
  }
  return events;
}

/**
 * Cursors of runEvents, opaque to clients: `<seq>.<i>` is the i-th event of the
 * run's logged message `seq`; `<seq>` is "after all of message seq" (a
 * backlog's place); `s<step>` is "as a subscription with afterStep <step>" (what
 * a backlog read by step carries before its last event, since only then is it
 * complete).
 */
export type EventPosition = { seq: bigint; index: number } | { afterStep: number };

export const eventCursor = (seq: string, index?: number) => (index === undefined ? seq : `${seq}.${index}`);
export const afterStepCursor = (afterStep: number) => `s${afterStep}`;

const MAX_BIGINT = 2n ** 63n - 1n;

/** The position a cursor names, or null when it is not one of ours. */
export function parseEventCursor(cursor: string): EventPosition | null {
  const step = /^s(-1|\d{1,10})$/.exec(cursor);
  if (step) {
    const afterStep = Number(step[1]);
    return afterStep <= 2_147_483_647 ? { afterStep } : null;
  }
  const match = /^(\d{1,19})(?:\.(\d{1,6}))?$/.exec(cursor);
  if (!match) return null;
  const seq = BigInt(match[1]);
  if (seq > MAX_BIGINT) return null;
  return { seq, index: match[2] === undefined ? Infinity : Number(match[2]) };
}

function convert(message: RunMessage): RunEvent[] {
  switch (message.type) {
    case 'metrics':
      return message.series.map((packed) => {
        const s = unpackSeries(packed);
        const shared = packed.times.length === 1 ? new Date(packed.times[0]) : null;
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
