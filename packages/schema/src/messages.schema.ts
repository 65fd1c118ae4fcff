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
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export function isIsoTimestamp(value: string): boolean {
  return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

export const timestampSchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 timestamp' });

/** Segment libraries may send numeric ids; they are stored as strings. */
export const idSchema = z
  .union([z.string().min(1).max(LIMITS.maxIdLength), z.number().finite()])
  .transform(String);

// Depth, size and text are checked once per message by `parseMessage` (inspect-value.ts).
const objectSchema = z.record(z.string(), z.unknown());

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
