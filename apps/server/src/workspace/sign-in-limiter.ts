interface Bucket {
  tokens: number;
  refilledAt: number;
}

export type SignInDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

const WINDOW_MS = 15 * 60_000;
const MAX_BUCKETS = 50_000;

/**
 * Failed sign-ins per email and per client IP, as token buckets that refill over 15 minutes:
 * an email allows `perEmail` failures in a burst (a guessing attack on one person), an IP
 * `perIp` (one machine trying many addresses). Only failures spend tokens, so a person who
 * signs in often is never locked out; while a bucket is empty every attempt is refused, even
 * with the right password, or the limit would only slow guessing down. In-process, like the
 * ingest limiter: behind a load balancer each process counts on its own.
 */
export class SignInLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: { perEmail: number; perIp: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an attempt for this email from this IP may be checked now. */
  check(email: string, ip: string): SignInDecision {
    const waits = [
      this.wait(`email:${email}`, this.limits.perEmail),
      this.wait(`ip:${ip}`, this.limits.perIp),
    ];
    const longest = Math.max(...waits);
    return longest > 0 ? { ok: false, retryAfterSeconds: longest } : { ok: true };
  }

  /** Spends one token of each bucket for a failed attempt. */
  recordFailure(email: string, ip: string): void {
    this.spend(`email:${email}`, this.limits.perEmail);
    this.spend(`ip:${ip}`, this.limits.perIp);
  }

  private wait(key: string, capacity: number): number {
    const bucket = this.refilled(key, capacity);
    if (bucket.tokens >= 1) return 0;
    const msPerToken = WINDOW_MS / capacity;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000));
  }

  private spend(key: string, capacity: number): void {
    const bucket = this.refilled(key, capacity);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refilled(key: string, capacity: number): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // A flood of distinct emails must not grow memory without bound; full buckets carry no
      // information, so forgetting everything costs at most one burst of extra attempts.
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
      bucket = { tokens: capacity, refilledAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const refill = ((now - bucket.refilledAt) / WINDOW_MS) * capacity;
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, refill));
    bucket.refilledAt = now;
    return bucket;
  }
}
