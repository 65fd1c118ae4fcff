import { z } from 'zod';
import { LIMITS } from './limits.js';
import type {
  AliasMessage,
  GroupMessage,
  IdentifyMessage,
  MessageBase,
  PageMessage,
  TrackMessage,
} from './messages.types.js';

// ISO-8601 date or date-time with an optional zone, as Segment libraries send it. Anything
// looser (e.g. "yesterday", epoch numbers) is rejected rather than guessed at.
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

// Instants Postgres can store as written by `Date.prototype.toISOString`: years 0001–9999 in
// UTC. Year 0000 ("0000-01-01", or "0001-01-01T00:00+01:00") and five-digit years fail the
// insert of the whole flush, so they are refused here, per message.
const EARLIEST_STORABLE = new Date(0).setUTCFullYear(1, 0, 1);
const LATEST_STORABLE = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether the date part names a day of the calendar; `Date.parse` rolls 02-30 over to March. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 19xx
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const ZONE_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** The number written by the digits at `value[start, start + length)`; NaN if one is not a digit. */
function digitsAt(value: string, start: number, length: number): number {
  let number = 0;
  for (let i = start; i < start + length; i += 1) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    number = number * 10 + digit;
  }
  return number;
}

// The form's separators are where this one has them.
const CANONICAL_FORM = '0000-00-00T00:00:00.000Z';
const SEPARATOR_AT = [4, 7, 10, 13, 16, 19, 23];

/**
 * The instant of a timestamp in the form `toISOString` writes (what SDKs send), read digit by
 * digit: the hot path of every event, several times over. NaN for any other form, and for
 * field values it leaves to `Date.parse` (years before 100, 24:00, leap seconds): the callers
 * then take the general path, so the two never disagree.
 */
function canonicalInstant(value: string): number {
  if (value.length !== 24) return Number.NaN;
  for (const at of SEPARATOR_AT) {
    if (value.charCodeAt(at) !== CANONICAL_FORM.charCodeAt(at)) return Number.NaN;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const millisecond = digitsAt(value, 20, 3);
  // NaN fails every comparison below, as it should.
  const plainDay = month >= 1 && month <= 12 && day >= 1 && day <= 28;
  if (!(year >= 100 && (plainDay || isCalendarDay(year, month, day)))) return Number.NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59 && millisecond >= 0)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/**
 * The instant of an ISO-8601 timestamp in milliseconds. A date-time without a zone is read as
 * UTC, as a date alone already is: `Date.parse` would read it in the server's own zone, so the
 * same event would land at another time on another server.
 *
 * @example instantOf('2026-06-01T10:00:00') === Date.parse('2026-06-01T10:00:00Z')
 */
export function instantOf(value: string): number {
  const canonical = canonicalInstant(value);
  if (!Number.isNaN(canonical)) return canonical;
  const iso = value.replace(' ', 'T');
  const isDateOnly = iso.length === 10;
  return Date.parse(isDateOnly || ZONE_SUFFIX.test(iso) ? iso : `${iso}Z`);
}

/**
 * Whether `value` is an ISO-8601 date or date-time naming a real calendar day, at an instant
 * between 0001-01-01 and 9999-12-31 UTC (what Postgres `timestamptz` stores).
 */
export function isIsoTimestamp(value: string): boolean {
  const canonical = canonicalInstant(value);
  if (!Number.isNaN(canonical)) return canonical <= LATEST_STORABLE;
  return matchesIsoTimestamp(value);
}

/** `isIsoTimestamp` by the pattern alone, for any form (exported for its tests). */
export function matchesIsoTimestamp(value: string): boolean {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  if (!isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) return false;
  const instant = instantOf(value);
  return instant >= EARLIEST_STORABLE && instant <= LATEST_STORABLE;
}

/** The form `Date.prototype.toISOString` writes: what SDKs send, and what cursors carry. */
export const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether `value` is an instant exactly as `toISOString` writes it, on a real calendar day.
 * Cursors are base64 JSON a client can edit: anything else (`99999`, `+275760-09-13`,
 * `Jan 1 2026`) is refused rather than reaching Postgres.
 */
export function isCanonicalInstant(value: string): boolean {
  return CANONICAL_INSTANT.test(value) && isIsoTimestamp(value);
}

export const timestampSchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 timestamp' });

const MAX_NUMERIC_ID = Number.MAX_SAFE_INTEGER;

/**
 * Segment libraries may send numeric ids; they are stored as strings. An integer beyond 2^53
 * has already lost digits in JSON parsing (two users would share one id), so it is refused.
 */
export const idSchema = z
  .union([
    z.string().min(1).max(LIMITS.maxIdLength),
    z
      .number()
      .finite()
      .refine((n) => Math.abs(n) <= MAX_NUMERIC_ID, {
        message: 'Numeric ids must be at most 2^53 - 1; send larger ids as strings',
      }),
  ])
  .transform(String);

/**
 * An optional field that may also be `null`: Segment libraries (e.g. analytics-python) send
 * `"anonymousId": null` or `"name": null` for absent values. Null reads as absent.
 */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Depth, size and text are checked once per message by `parseMessage` (inspect-value.ts), so
// an object is only checked to be one: taken as it is, not rebuilt key by key.
const objectSchema = z
  .custom<Record<string, unknown>>(isPlainObject, { message: 'Expected an object' })
  .meta({ type: 'object', additionalProperties: true });

// Message fields are `.optional()`, not `nullable()`: `parseMessage` drops null fields first
// (`withoutNulls`), once per message, instead of a transform per field on the hot path.
const contextSchema = z.looseObject({ groupId: idSchema.optional() });

const base = {
  messageId: z.string().min(1).max(LIMITS.maxIdLength).optional(),
  timestamp: timestampSchema.optional(),
  sentAt: timestampSchema.optional(),
  originalTimestamp: timestampSchema.optional(),
  userId: idSchema.optional(),
  anonymousId: idSchema.optional(),
  context: contextSchema.optional(),
  integrations: objectSchema.optional(),
};

export const trackSchema = z.object({
  ...base,
  type: z.literal('track'),
  event: z.string().min(1).max(LIMITS.maxIdLength),
  properties: objectSchema.optional(),
}) satisfies z.ZodType<TrackMessage, unknown>;

export const identifySchema = z.object({
  ...base,
  type: z.literal('identify'),
  traits: objectSchema.optional(),
}) satisfies z.ZodType<IdentifyMessage, unknown>;

export const groupSchema = z.object({
  ...base,
  type: z.literal('group'),
  groupId: idSchema,
  traits: objectSchema.optional(),
}) satisfies z.ZodType<GroupMessage, unknown>;

export const pageSchema = z.object({
  ...base,
  type: z.enum(['page', 'screen']),
  name: z.string().max(LIMITS.maxIdLength).optional(),
  category: z.string().max(LIMITS.maxIdLength).optional(),
  properties: objectSchema.optional(),
}) satisfies z.ZodType<PageMessage, unknown>;

export const aliasSchema = z.object({
  ...base,
  type: z.literal('alias'),
  previousId: idSchema,
  userId: idSchema,
}) satisfies z.ZodType<AliasMessage, unknown>;

export const messageSchemas = {
  track: trackSchema,
  identify: identifySchema,
  group: groupSchema,
  page: pageSchema,
  screen: pageSchema,
  alias: aliasSchema,
} as const;

export const messageSchema = z.discriminatedUnion('type', [
  trackSchema,
  identifySchema,
  groupSchema,
  pageSchema,
  aliasSchema,
]);

export const batchEnvelopeSchema = z.object({
  batch: z.array(z.unknown()).max(LIMITS.maxBatchEvents),
  sentAt: timestampSchema.optional(),
  context: contextSchema.optional(),
  integrations: objectSchema.optional(),
  writeKey: z.string().optional(),
});

export type { MessageBase };
