import { EpochalError } from '../kernel/errors.js';

/**
 * A token bucket per caller (API key, or address when authentication is off):
 * `perSecond` operations on average, bursts up to `burst`. In memory, so each
 * API process limits on its own: N processes allow N × the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst: number) {}

  /** Takes one token or throws RATE_LIMITED with the seconds to wait. */
  take(caller: string): void {
    if (this.perSecond <= 0) return;
    const now = Date.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(caller, bucket);
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
      throw new EpochalError('RATE_LIMITED', `rate limit of ${this.perSecond} operations per second (bursts of ${this.burst}) exceeded; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      });
    }
    bucket.tokens -= 1;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
  }
}
