import { isIsoTimestamp } from '@tenure/schema';

/** The form `Date.prototype.toISOString` gives for years 0–9999: what this API's cursors carry. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether the `YYYY-MM-DD` that `value` starts with is a day of the calendar. `Date.parse`
 * rolls impossible days over (`2026-02-30` is March 2nd), which would answer a question the
 * client did not ask.
 */
export function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 19xx
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** An ISO-8601 date or timestamp (as the ingestion API accepts them) naming a real day. */
export function isIsoCalendarTimestamp(value: string): boolean {
  return isIsoTimestamp(value) && isCalendarDay(value);
}

/**
 * Whether `value` is an instant exactly as this server writes it into a cursor. Cursors are
 * base64 JSON a client can edit; anything else (`99999`, `+275760-09-13`, `Jan 1 2026`) is
 * refused with a 400 rather than reaching Postgres, whose timestamps stop at year 294276.
 */
export function isCanonicalInstant(value: string): boolean {
  return CANONICAL_INSTANT.test(value) && isCalendarDay(value) && !Number.isNaN(Date.parse(value));
}
