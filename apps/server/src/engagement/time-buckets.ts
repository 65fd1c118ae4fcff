import { addDays, daysBetween, utcDay } from '../time/utc-day.js';

export type Interval = 'day' | 'week' | 'month';

/** Most buckets one timeline may hold (a bit over a year of days). */
export const MAX_BUCKETS = 400;

/** Buckets shown when `from` is not given. */
const DEFAULT_BUCKETS: Record<Interval, number> = { day: 30, week: 12, month: 12 };

/**
 * The first day of the bucket holding `day`: the day itself, the Monday of its ISO week, or the
 * first of its month (all UTC, as the rollups are).
 *
 * @example
 * bucketStart('2026-11-22', 'week'); // '2026-11-16' (a Sunday belongs to the week of Monday 16th)
 */
export function bucketStart(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The first day of the bucket after the one starting at `start`. */
export function nextBucket(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const date = new Date(`${start}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return utcDay(date);
}

/** Every bucket start from the bucket of `from` to the bucket of `to`, in order. */
export function bucketStarts(from: string, to: string, interval: Interval): string[] {
  const starts: string[] = [];
  for (let start = bucketStart(from, interval); start <= to; start = nextBucket(start, interval)) {
    starts.push(start);
  }
  return starts;
}

/**
 * How many buckets `bucketStarts(from, to, interval)` holds, by arithmetic: a range of a
 * thousand years must be refused without first listing its 365,000 days.
 */
export function bucketCount(from: string, to: string, interval: Interval): number {
  const first = bucketStart(from, interval);
  if (first > to) return 0;
  if (interval === 'day') return daysBetween(first, to) + 1;
  if (interval === 'week') return Math.floor(daysBetween(first, to) / 7) + 1;
  const months = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
  return months(to) - months(first) + 1;
}

export interface DayRange {
  from: string;
  to: string;
}

/**
 * The days a timeline covers: `to` defaults to the day of `asOf` and is never later; `from`
 * defaults to a useful span for the interval. Returns an error message for a range that is
 * reversed or holds more than MAX_BUCKETS buckets.
 */
export function timelineRange(
  query: { from?: string | undefined; to?: string | undefined; interval: Interval },
  asOf: Date,
): DayRange | { error: string } {
  const asOfDay = utcDay(asOf);
  const to = query.to && query.to < asOfDay ? query.to : asOfDay;
  let from = query.from;
  if (!from) {
    let start = bucketStart(to, query.interval);
    for (let k = 1; k < DEFAULT_BUCKETS[query.interval]; k += 1) {
      start = bucketStart(addDays(start, -1), query.interval);
    }
    from = start;
  }
  if (from > to) return { error: `from (${from}) is after to (${to}, capped at asOf)` };
  const buckets = bucketCount(from, to, query.interval);
  if (buckets > MAX_BUCKETS) {
    return {
      error: `The range holds ${buckets} ${query.interval} buckets; at most ${MAX_BUCKETS}`,
    };
  }
  return { from, to };
}
