export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

// Buckets of projects that have not sent for a while are full again and can be forgotten.
const MAX_BUCKETS = 10_000;

/**
 * Per-project token bucket over events: a project may send `eventsPerSecond` on average and
 * `burst` at once. One runaway client (a retry loop, a tracking call in a render loop) then
 * cannot take the writer from every other project; it hears 429 with the wait that would let
 * its request through. The bucket lives in the process: behind a load balancer each process
 * grants the rate on its own. `eventsPerSecond` 0 turns the limit off.
 *
 * @example
 * const limiter = new IngestRateLimiter({ eventsPerSecond: 1000, burst: 5000 });
 * const decision = limiter.take('prj_1', 100);
 */
export class IngestRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly eventsPerSecond: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(options: { eventsPerSecond: number; burst: number; now?: () => number }) {
    this.eventsPerSecond = options.eventsPerSecond;
    // A bucket smaller than the largest batch would refuse that batch forever.
    this.burst = Math.max(options.burst, options.eventsPerSecond);
    this.now = options.now ?? Date.now;
  }

  /** Takes `events` tokens from the project's bucket, or says how long to wait for them. */
  take(projectId: string, events: number): RateDecision {
    if (this.eventsPerSecond === 0 || events === 0) return { ok: true };
    const now = this.now();
    const bucket = this.refilled(projectId, now);
    const wanted = Math.min(events, this.burst);
    if (bucket.tokens >= wanted) {
      bucket.tokens -= wanted;
      return { ok: true };
    }
    const seconds = (wanted - bucket.tokens) / this.eventsPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  private refilled(projectId: string, now: number): Bucket {
    let bucket = this.buckets.get(projectId);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFullBuckets(now);
      bucket = { tokens: this.burst, refilledAt: now };
      this.buckets.set(projectId, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.eventsPerSecond);
    bucket.refilledAt = now;
    return bucket;
  }

  private forgetFullBuckets(now: number) {
    const fullAfterSeconds = this.burst / this.eventsPerSecond;
    for (const [projectId, bucket] of this.buckets) {
      if ((now - bucket.refilledAt) / 1000 >= fullAfterSeconds) this.buckets.delete(projectId);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
