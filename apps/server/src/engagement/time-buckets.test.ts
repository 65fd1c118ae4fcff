import { describe, expect, it } from 'vitest';
import { bucketCount, bucketStarts, type Interval, timelineRange } from './time-buckets.js';

const INTERVALS: Interval[] = ['day', 'week', 'month'];

describe('bucketCount', () => {
  it('agrees with the buckets listed, across month ends, leap days and weekdays', () => {
    const ranges = [
      ['2026-01-01', '2026-01-01'],
      ['2026-01-31', '2026-03-01'],
      ['2024-02-28', '2024-03-04'],
      ['2025-12-29', '2026-01-04'],
      ['2026-11-22', '2026-11-23'],
      ['2023-05-17', '2026-11-30'],
      ['2026-06-01', '2026-05-01'],
    ] as const;
    for (const [from, to] of ranges) {
      for (const interval of INTERVALS) {
        expect(bucketCount(from, to, interval), `${from}..${to} by ${interval}`).toBe(
          bucketStarts(from, to, interval).length,
        );
      }
    }
  });
});

describe('timelineRange', () => {
  it('refuses a range of centuries by counting, not by listing its days', () => {
    const asOf = new Date('2026-12-01T12:00:00Z');
    const started = performance.now();
    const range = timelineRange({ from: '0001-01-01', interval: 'day' }, asOf);
    const elapsedMs = performance.now() - started;
    expect(range).toEqual({ error: expect.stringContaining('day buckets; at most 400') });
    // Listing 740,000 days took about a second of the server's only thread.
    expect(elapsedMs).toBeLessThan(50);
  });
});
