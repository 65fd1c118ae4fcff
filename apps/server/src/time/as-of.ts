import { instantOf, isIsoTimestamp, LIMITS } from '@tenure/schema';
import { z } from 'zod';

/**
 * A time query parameter (`asOf`, an export's `from`/`to`): an ISO-8601 date or timestamp of
 * a real calendar day, on or after 2000-01-01, parsed to a Date; without a zone it is UTC, as
 * at ingestion.
 */
export const instantSchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 date or timestamp' })
  .transform((value) => new Date(instantOf(value)))
  .refine((date) => date.getTime() >= LIMITS.earliestTimestamp, {
    message: 'Must be on or after 2000-01-01',
  });

/** `asOf` query parameter: an ISO-8601 date or timestamp, parsed to a Date. */
export const asOfSchema = instantSchema;

/** `asOf` as used: never later than now. */
export function effectiveAsOf(asOf: Date | undefined): Date {
  const now = new Date();
  return asOf && asOf.getTime() < now.getTime() ? asOf : now;
}
