import type {
  CreateRunInput, CreateRunMutation, CreateRunMutationVariables, EpochInput, FinishRunMutation, FinishRunMutationVariables,
  LogEpochMutation, LogEpochMutationVariables, LogMetricSeriesMutation, LogMetricSeriesMutationVariables, MetricInput, MetricSeriesInput,
  RecordEvaluationMutation, RecordEvaluationMutationVariables, RunStatus,
} from './generated/graphql.js';
import { EpochalError, sleep, Transport, type TransportOptions } from './transport.js';

const MAX_POINTS_PER_REQUEST = 10_000;

const CREATE_RUN = `mutation CreateRun($input: CreateRunInput!) { createRun(input: $input) { id name status } }`;
const LOG_METRIC_SERIES = `mutation LogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }`;
const LOG_EPOCH = `mutation LogEpoch($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { phase index } }`;
const RECORD_EVALUATION = `mutation RecordEvaluation($runId: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $runId, input: $input) { accuracy macroF1 } }`;
const FINISH_RUN = `mutation FinishRun($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { id status } }`;

type Operation =
  | { kind: 'points'; points: MetricInput[] }
  | { kind: 'epoch'; input: EpochInput }
  | { kind: 'evaluation'; labels: string[]; confusionMatrix: number[][] }
  | { kind: 'finish'; status: RunStatus; error: string | null };

export interface RunOptions {
  /** How long points may gather before they are sent together, ms (default 2 s). */
  flushIntervalMs?: number;
  /** Points kept while the server is away; beyond it the oldest are dropped (default 2,000,000). */
  maxBufferedPoints?: number;
  /** Called when the server refuses an operation for good (it is dropped). */
  onRefused?: (error: EpochalError, what: Operation['kind']) => void;
}

/**
 * A run being reported into, with the Python client's API: log calls return
 * at once, an ordered outbox is sent in the background, retried while the
 * server is away (safe: points are stored by step, epochs by phase and index).
 */
export class Run {
  /** The next batch step: loggers of later phases continue from it. */
  batchStep = 0;
  lastError: EpochalError | null = null;
  private readonly outbox: Operation[] = [];
  private bufferedPoints = 0;
  private sending = false;
  private wake: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  /** The operation being sent: points must not join a batch already on the wire. */
  private inFlight: Operation | null = null;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedPoints: number;

  constructor(readonly transport: Transport, readonly id: string, readonly name: string, private readonly options: RunOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 2_000;
    this.maxBufferedPoints = options.maxBufferedPoints ?? 2_000_000;
  }

  logMetric(key: string, value: number, step: number): void {
    this.logMetrics({ [key]: value }, step);
  }

  /** Points at one step: logMetrics({ batch_loss: 0.41 }, 1200). Non-finite values are skipped. */
  logMetrics(values: Record<string, number>, step: number): void {
    const points = Object.entries(values).filter(([, v]) => Number.isFinite(v)).map(([key, value]) => ({ key, step: Math.trunc(step), value }));
    if (points.length === 0) return;
    if (this.bufferedPoints + points.length > this.maxBufferedPoints) this.dropOldestPoints(points.length);
    const last = this.outbox.at(-1);
    if (last?.kind === 'points' && last !== this.inFlight && last.points.length + points.length <= MAX_POINTS_PER_REQUEST) last.points.push(...points);
    else this.outbox.push({ kind: 'points', points });
    this.bufferedPoints += points.length;
    this.kick(false);
  }

  /** One epoch, 0-based within its phase ("train" by default); sending it again replaces it. */
  logEpoch(index: number, values: Omit<EpochInput, 'index'> = {}): void {
    this.enqueue({ kind: 'epoch', input: { phase: 'train', ...values, index } });
  }

  recordEvaluation(labels: string[], confusionMatrix: number[][]): void {
    this.enqueue({ kind: 'evaluation', labels, confusionMatrix });
  }

  /** Sends what is buffered, then ends the run; resolves whether everything arrived within timeoutMs. */
  async finish(status: RunStatus = 'SUCCEEDED', error: string | null = null, timeoutMs = 120_000): Promise<boolean> {
    this.enqueue({ kind: 'finish', status, error });
    return this.flush(timeoutMs);
  }

  /** Resolves true once the outbox is empty, false after timeoutMs. */
  flush(timeoutMs = 60_000): Promise<boolean> {
    if (!this.outbox.length && !this.sending) return Promise.resolve(true);
    this.kick(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  pending(): number {
    return this.outbox.length + (this.sending ? 1 : 0);
  }

  pendingPoints(): number {
    return this.bufferedPoints;
  }

  private enqueue(operation: Operation) {
    this.outbox.push(operation);
    this.kick(true);
  }

  private dropOldestPoints(room: number) {
    const index = this.outbox.findIndex((o) => o.kind === 'points' && o !== this.inFlight);
    if (index < 0) return;
    const batch = this.outbox[index] as Extract<Operation, { kind: 'points' }>;
    const dropped = batch.points.splice(0, room).length;
    this.bufferedPoints -= dropped;
    if (batch.points.length === 0) this.outbox.splice(index, 1);
  }

  /** Starts the sender if idle; `now` skips the wait that lets points gather. */
  private kick(now: boolean) {
    if (now && this.wake) this.wake();
    if (!this.sending) {
      this.sending = true;
      void this.drain(now);
    }
  }

  private async drain(now: boolean) {
    let attempt = 0;
    try {
      if (!now) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.flushIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      while (this.outbox.length) {
        const operation = this.outbox[0];
        this.inFlight = operation;
        try {
          await this.send(operation);
          attempt = 0;
        } catch (error) {
          const e = error instanceof EpochalError ? error : new EpochalError('UNREACHABLE', String(error));
          this.lastError = e;
          if (e.retryable) {
            this.inFlight = null;
            // Keep it first in line (order matters: a finish must follow its points) and wait.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, this.transport.delay(Math.min(attempt++, 6)));
              this.wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            this.wake = null;
            continue;
          }
          this.options.onRefused?.(e, operation.kind);
        }
        // Sent, or refused for good: either way it leaves the outbox.
        this.inFlight = null;
        if (this.outbox[0] === operation) this.outbox.shift();
        if (operation.kind === 'points') this.bufferedPoints -= operation.points.length;
      }
    } finally {
      this.sending = false;
      this.inFlight = null;
      const waiters = this.idleWaiters.splice(0);
      for (const done of waiters) done();
    }
  }

  private async send(operation: Operation): Promise<void> {
    // One attempt per call: drain() owns retrying, so new points keep joining the outbox meanwhile.
    const once = <T, V extends object>(query: string, variables: V) => this.transport.request<T, V>(query, variables, 0);
    switch (operation.kind) {
      case 'points':
        await once<LogMetricSeriesMutation, LogMetricSeriesMutationVariables>(LOG_METRIC_SERIES, { runId: this.id, series: toSeries(operation.points) });
        return;
      case 'epoch':
        await once<LogEpochMutation, LogEpochMutationVariables>(LOG_EPOCH, { runId: this.id, input: operation.input });
        return;
      case 'evaluation':
        await once<RecordEvaluationMutation, RecordEvaluationMutationVariables>(RECORD_EVALUATION, { runId: this.id, input: { labels: operation.labels, confusionMatrix: operation.confusionMatrix } });
        return;
      case 'finish':
        try {
          await once<FinishRunMutation, FinishRunMutationVariables>(FINISH_RUN, { id: this.id, status: operation.status, error: operation.error });
        } catch (error) {
          // A retried finish whose first attempt got through: already finished.
          if (!(error instanceof EpochalError && error.code === 'CONFLICT')) throw error;
        }
    }
  }
}

/** For training loops: logBatch every batch (every Nth is sent), logEpoch at each epoch's end. */
export class Logger {
  private epochStarted = Date.now();

  constructor(readonly run: Run, readonly logEveryNBatches = 10, readonly phase = 'train') {}

  /** logBatch({ loss }) → the "batch_loss" series at the run's running batch step. */
  logBatch(metrics: Record<string, number>, step?: number): void {
    const at = step ?? this.run.batchStep;
    this.run.batchStep = at + 1;
    if (at % Math.max(1, this.logEveryNBatches) === 0) {
      this.run.logMetrics(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`batch_${k}`, v])), at);
    }
  }

  logEpoch(index: number, values: Omit<EpochInput, 'index' | 'phase'> = {}): void {
    this.run.logEpoch(index, { phase: this.phase, durationMs: Date.now() - this.epochStarted, ...values });
    this.epochStarted = Date.now();
  }
}

/** Creates an EXTERNAL run (RUNNING at once); retries for about a minute while the server is away. */
export async function startRun(input: CreateRunInput, options: TransportOptions & RunOptions = {}): Promise<Run> {
  const transport = new Transport(options);
  const { createRun } = await transport.request<CreateRunMutation, CreateRunMutationVariables>(CREATE_RUN, { input }, Math.max(options.retries ?? 5, 8));
  return new Run(transport, createRun.id, createRun.name, options);
}

export async function finishRun(run: Run, status: RunStatus = 'SUCCEEDED', error: string | null = null, timeoutMs?: number): Promise<boolean> {
  return run.finish(status, error, timeoutMs);
}

export { sleep };

/**
 * A batch's points as one series per key, in the order given: the columnar
 * form the server coerces and stores several times faster than one object
 * per point (within a key the last point of a step still wins).
 */
export function toSeries(points: readonly MetricInput[]): MetricSeriesInput[] {
  const byKey = new Map<string, { key: string; steps: number[]; values: number[] }>();
  for (const { key, step, value } of points) {
    let series = byKey.get(key);
    if (!series) byKey.set(key, (series = { key, steps: [], values: [] }));
    series.steps.push(step);
    series.values.push(value);
  }
  return [...byKey.values()];
}
