/** Calendar arithmetic in UTC for subscription terms and reporting periods. */

export type Period = 'month' | 'quarter' | 'year';

const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/**
 * `instant` moved by `months` calendar months, the day clamped to the target month's length:
 * Jan 31 + 1 month = Feb 28 (or 29).
 */
export function addMonths(instant: number, months: number): number {
  const date = new Date(instant);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const length = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, length));
  return date.getTime();
}

/**
 * The billing term running at `at` for a subscription whose terms start at `anchor` and last one
 * month or one year: `[anchor + (n − 1) terms, anchor + n terms)` holding `at`. Every boundary
 * is counted from the anchor itself, so a schedule from Jan 31 runs Feb 28, Mar 31, Apr 30
 * (clamping never drifts it to the 28th).
 *
 * @example
 * // Yearly from 2025-04-15; notice on 2026-02-10 → the term ends 2026-04-15.
 * runningTerm(Date.parse('2025-04-15'), 'year', Date.parse('2026-02-10')).end;
 */
export function runningTerm(
  anchor: number,
  interval: 'month' | 'year',
  at: number,
): { start: number; end: number } {
  const step = interval === 'year' ? 12 : 1;
  // Jump near the answer first: a loop from an anchor centuries back (a bogus createdAt trait)
  // would take tens of thousands of steps per notice.
  const from = new Date(anchor);
  const to = new Date(at);
  const months =
    (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  let terms = Math.max(1, Math.floor(months / step));
  while (terms > 1 && addMonths(anchor, (terms - 1) * step) > at) terms -= 1;
  while (addMonths(anchor, terms * step) <= at) terms += 1;
  return { start: addMonths(anchor, (terms - 1) * step), end: addMonths(anchor, terms * step) };
}

/** The end of the billing term running at `at` (see `runningTerm`). */
export function termEnd(anchor: number, interval: 'month' | 'year', at: number): number {
  return runningTerm(anchor, interval, at).end;
}

/** The start of the calendar period holding `instant`. */
export function periodStart(instant: number, period: Period): number {
  const date = new Date(instant);
  const month = date.getUTCMonth() - (date.getUTCMonth() % MONTHS[period]);
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const start = new Date(0);
  start.setUTCFullYear(date.getUTCFullYear(), month, 1);
  return start.getTime();
}

export function nextPeriod(start: number, period: Period): number {
  return addMonths(start, MONTHS[period]);
}

/** A period's label: '2026-04', '2026-Q2' or '2026'. */
export function periodLabel(start: number, period: Period): string {
  const date = new Date(start);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  if (period === 'year') return year;
  if (period === 'quarter') return `${year}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
