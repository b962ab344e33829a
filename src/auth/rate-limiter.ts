import { EpochalError } from '../kernel/errors.js';

/**
 * A token bucket per caller (API key, or address when authentication is off):
 * `perSecond` operations on average, bursts up to `burst`. In memory, so each
 * API process limits on its own: N processes allow N × the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `what` names what is counted in the refusal ("operations", "failed key checks"). */
  constructor(private readonly perSecond: number, private readonly burst: number, private readonly what = 'operations') {}

  /** Takes one token or throws RATE_LIMITED with the seconds to wait. */
  take(caller: string): void {
    this.check(caller);
    this.spend(caller);
  }

  /** Throws RATE_LIMITED when `caller` has no token left; takes none. */
  check(caller: string): void {
    const bucket = this.refilled(caller);
    if (bucket.tokens >= 1) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    throw new EpochalError('RATE_LIMITED', `rate limit of ${this.perSecond} ${this.what} per second (bursts of ${this.burst}) exceeded; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    });
  }

  /** Takes a token if there is one (counting something that already happened). */
  spend(caller: string): void {
    const bucket = this.refilled(caller);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refilled(caller: string): { tokens: number; at: number } {
    const now = Date.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    if (this.perSecond > 0) bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    else bucket.tokens = this.burst;
    bucket.at = now;
    if (this.buckets.size > 100_000) this.buckets.clear();
    this.buckets.set(caller, bucket);
    return bucket;
  }
}
