import { describe, expect, it } from 'vitest';
import { IngestRateLimiter } from './rate-limiter.js';

function limiterAt(options: { eventsPerSecond: number; burst: number }) {
  let now = 1_000_000;
  const limiter = new IngestRateLimiter({ ...options, now: () => now });
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('IngestRateLimiter', () => {
  it('grants the burst at once, then the average rate', () => {
    const { limiter, advance } = limiterAt({ eventsPerSecond: 100, burst: 300 });
    expect(limiter.take('p', 300)).toEqual({ ok: true });
    expect(limiter.take('p', 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(500); // 50 tokens back
    expect(limiter.take('p', 50)).toEqual({ ok: true });
    expect(limiter.take('p', 50)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('says how long to wait for the tokens a request needs', () => {
    const { limiter } = limiterAt({ eventsPerSecond: 100, burst: 1000 });
    limiter.take('p', 1000);
    expect(limiter.take('p', 450)).toEqual({ ok: false, retryAfterSeconds: 5 });
  });

  it('keeps projects apart', () => {
    const { limiter } = limiterAt({ eventsPerSecond: 10, burst: 10 });
    expect(limiter.take('a', 10)).toEqual({ ok: true });
    expect(limiter.take('a', 1).ok).toBe(false);
    expect(limiter.take('b', 10)).toEqual({ ok: true });
  });

  it('never refuses a batch larger than the bucket forever', () => {
    const { limiter, advance } = limiterAt({ eventsPerSecond: 10, burst: 10 });
    expect(limiter.take('p', 2500)).toEqual({ ok: true });
    expect(limiter.take('p', 2500).ok).toBe(false);
    advance(1000);
    expect(limiter.take('p', 2500)).toEqual({ ok: true });
  });

  it('is off at 0 events per second', () => {
    const { limiter } = limiterAt({ eventsPerSecond: 0, burst: 1 });
    for (let i = 0; i < 5; i += 1) expect(limiter.take('p', 10_000)).toEqual({ ok: true });
  });
});
