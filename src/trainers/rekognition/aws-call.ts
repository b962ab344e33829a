import type { Logger } from 'pino';
import { explainAwsError, isRetryable, awsErrorName, RekognitionCancelledError, type AwsErrorContext } from './aws-errors.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CallPolicy {
  bucket: string;
  region: string | null;
  /** Retries after the SDK's own attempts, for throttling and transient errors. */
  retries: number;
  /** First retry delay; doubles up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: Sleep;
  log: Logger;
  isCancelled: () => boolean | Promise<boolean>;
}

/**
 * One AWS call: retried with exponential backoff while AWS throttles or has a
 * transient error, then explained (service message + what to check). The SDK
 * has already retried inside each attempt; this rides out longer throttling.
 */
export async function callAws<T>(policy: CallPolicy, operation: string, doing: string, fn: () => Promise<T>): Promise<T> {
  const ctx: AwsErrorContext = { operation, doing, bucket: policy.bucket, region: policy.region };
  let delay = policy.baseDelayMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.retries) throw explainAwsError(error, ctx);
      policy.log.warn({ operation, error: awsErrorName(error), attempt: attempt + 1, delayMs: delay }, `${operation} was throttled or failed transiently; retrying`);
      await policy.sleep(jitter(delay));
      if (await policy.isCancelled()) throw new RekognitionCancelledError();
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** ±20%, so workers throttled together do not retry together. */
function jitter(ms: number): number {
  return Math.max(1, Math.round(ms * (0.8 + Math.random() * 0.4)));
}

export interface PollOptions<T> {
  what: string;
  describe: () => Promise<T>;
  status: (value: T) => string;
  /** True for a status that ends the wait (success or failure; the caller tells them apart). */
  isFinal: (status: string) => boolean;
  onStatus?: (status: string, value: T, elapsedMs: number) => void | Promise<void>;
  onPoll?: (poll: number, status: string, elapsedMs: number) => void | Promise<void>;
  isCancelled: () => boolean | Promise<boolean>;
  /** Called instead of throwing when cancelled; may stop the resource, then throws. */
  onCancel?: (last: T | null) => Promise<void>;
  intervalMs: number;
  maxIntervalMs: number;
  sleep: Sleep;
  now?: () => number;
  /** Longest single sleep before checking cancellation again. */
  cancelCheckMs?: number;
}

/**
 * Polls until a final status: the delay starts at intervalMs, grows ×1.5 while
 * the status stays the same (up to maxIntervalMs) and starts over on a change.
 * Cancellation is checked between polls and at least every cancelCheckMs.
 */
export async function pollUntilFinal<T>(options: PollOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  const cancelCheckMs = options.cancelCheckMs ?? 2_000;
  let interval = options.intervalMs;
  let lastStatus: string | null = null;
  let last: T | null = null;
  const cancelNow = async (): Promise<never> => {
    await options.onCancel?.(last);
    throw new RekognitionCancelledError();
  };
  for (let poll = 0; ; poll++) {
    if (await options.isCancelled()) await cancelNow();
    const value = await options.describe();
    last = value;
    const status = options.status(value);
    const elapsed = now() - started;
    if (status !== lastStatus) {
      lastStatus = status;
      interval = options.intervalMs;
      await options.onStatus?.(status, value, elapsed);
    } else {
      interval = Math.min(Math.round(interval * 1.5), options.maxIntervalMs);
    }
    await options.onPoll?.(poll, status, elapsed);
    if (options.isFinal(status)) return value;
    // Sleep in slices so a cancellation is seen within cancelCheckMs.
    let remaining = interval;
    while (remaining > 0) {
      const slice = Math.min(remaining, cancelCheckMs);
      await options.sleep(slice);
      remaining -= slice;
      if (remaining > 0 && (await options.isCancelled())) await cancelNow();
    }
  }
}
