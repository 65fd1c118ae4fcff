import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, retryAfterDelay } from './retry-policy.js';

const options = { retryBaseDelay: 1_000, maxRetryDelay: 30_000 };

describe('backoffDelay', () => {
  it('stays within [0, min(maxRetryDelay, retryBaseDelay × 2^attempt)) for any draw', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 1_000 * 2 ** attempt);
      for (const draw of [0, 0.25, 0.5, 0.999_999]) {
        const delay = backoffDelay(attempt, options, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
        expect(delay).toBe(Math.floor(draw * ceiling));
      }
    }
  });

  it('doubles the ceiling per attempt until maxRetryDelay', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map(
      (n) => backoffDelay(n, options, () => 0.999_999) + 1,
    );
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});

describe('retryAfterDelay', () => {
  const now = Date.parse('2026-01-05T09:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterDelay('7', now)).toBe(7_000);
    expect(retryAfterDelay('0', now)).toBe(0);
  });

  it('reads an HTTP date, and a past one as no wait', () => {
    expect(retryAfterDelay('Mon, 05 Jan 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterDelay('Mon, 05 Jan 2026 08:00:00 GMT', now)).toBe(0);
  });

  it('leaves a missing or unreadable header to backoff', () => {
    expect(retryAfterDelay(null, now)).toBeUndefined();
    expect(retryAfterDelay(undefined, now)).toBeUndefined();
    expect(retryAfterDelay('soon', now)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries no answer, timeouts, rate limits and server errors', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504])
      expect(isRetryableStatus(status)).toBe(true);
  });

  it('does not retry what would fail again', () => {
    for (const status of [400, 401, 403, 404, 413, 415])
      expect(isRetryableStatus(status)).toBe(false);
  });
});
