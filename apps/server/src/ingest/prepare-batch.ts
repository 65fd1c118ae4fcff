import {
  type EventRejectionCode,
  type IgnoredTraits,
  instantOf,
  isIsoTimestamp,
  LIMITS,
  type MessageContext,
  parseMessage,
  type RejectedEvent,
} from '@tenure/schema';
import type { KeyScope } from '../auth/key-scope.js';
import { AppError } from '../errors/app-error.js';
import { correctedTimestamp, type EventRecord, toEventRecord } from './event-record.js';
import { isRevenueEvent, withoutRevenueTraits } from './revenue-facts.js';

export interface PreparedBatch {
  records: EventRecord[];
  /** The batch index of each record. */
  indexes: number[];
  rejected: RejectedEvent[];
  /** Revenue traits left out of accepted messages sent with a public key. */
  ignoredTraits: IgnoredTraits[];
}

interface Envelope {
  batch: unknown[];
  sentAt?: string;
  context?: MessageContext;
  integrations?: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function readEnvelope(body: unknown): Envelope {
  if (!isObject(body) || !Array.isArray(body.batch)) throw new AppError('invalid_batch');
  if (body.batch.length > LIMITS.maxBatchEvents) {
    throw new AppError('batch_too_large', {
      message: `The batch holds ${body.batch.length} events; the limit is ${LIMITS.maxBatchEvents}`,
    });
  }
  // Segment libraries send null for a value they do not have: null is absent.
  const absentIfNull = (value: unknown) => (value === null ? undefined : value);
  const sentAt = absentIfNull(body.sentAt);
  const context = absentIfNull(body.context);
  const integrations = absentIfNull(body.integrations);
  if (sentAt !== undefined && (typeof sentAt !== 'string' || !isIsoTimestamp(sentAt))) {
    throw new AppError('invalid_batch', { message: 'sentAt must be an ISO-8601 timestamp' });
  }
  if (context !== undefined && !isObject(context)) {
    throw new AppError('invalid_batch', { message: 'context must be an object' });
  }
  if (integrations !== undefined && !isObject(integrations)) {
    throw new AppError('invalid_batch', { message: 'integrations must be an object' });
  }
  return { batch: body.batch, sentAt, context, integrations } as Envelope;
}

/** A batch's top-level context and integrations merge into each item; the item's keys win. */
function withEnvelope(item: unknown, envelope: Envelope): unknown {
  if (!isObject(item) || (!envelope.context && !envelope.integrations)) return item;
  const merged = { ...item };
  if (envelope.context)
    merged.context = { ...envelope.context, ...(isObject(item.context) ? item.context : {}) };
  if (envelope.integrations) {
    merged.integrations = {
      ...envelope.integrations,
      ...(isObject(item.integrations) ? item.integrations : {}),
    };
  }
  return merged;
}

type ItemOutcome =
  | { record: EventRecord; ignoredTraits: string[] }
  | { refusal: { code: EventRejectionCode; message: string; path: string | null } };

function prepareItem(
  item: unknown,
  batchSentAt: number | undefined,
  projectId: string,
  scope: KeyScope,
  received: number,
  receivedIso: string,
): ItemOutcome {
  const parsed = parseMessage(item);
  if (!parsed.ok)
    return { refusal: { code: parsed.code, message: parsed.message, path: parsed.path } };
  let { message } = parsed;
  let ignoredTraits: string[] = [];
  if (scope === 'public') {
    if (isRevenueEvent(message)) {
      return {
        refusal: {
          code: 'forbidden_for_public_key',
          message:
            'Revenue events need a server-side key (the secret key); a public write key carries behaviour only',
          path: 'event',
        },
      };
    }
    ({ message, removed: ignoredTraits } = withoutRevenueTraits(message));
  }
  const sentAt = message.sentAt === undefined ? batchSentAt : instantOf(message.sentAt);
  const when = correctedTimestamp(message.timestamp, sentAt, received);
  if (!when.ok)
    return { refusal: { code: 'invalid_timestamp', message: when.reason, path: 'timestamp' } };
  return {
    record: toEventRecord(projectId, message, when.timestamp, receivedIso),
    ignoredTraits,
  };
}

/**
 * Validates a batch body item by item. Valid messages become records for the writer; invalid
 * ones are reported by index and never written. Throws only when the envelope itself is bad.
 * With a `public` scope, revenue events are refused and revenue traits left out (see revenue-facts.ts).
 */
export function prepareBatch(
  body: unknown,
  projectId: string,
  receivedAt: Date,
  scope: KeyScope,
): PreparedBatch {
  const envelope = readEnvelope(body);
  const received = receivedAt.getTime();
  const receivedIso = receivedAt.toISOString();
  // Read once for the batch, not once per event.
  const batchSentAt = envelope.sentAt === undefined ? undefined : instantOf(envelope.sentAt);
  const records: EventRecord[] = [];
  const indexes: number[] = [];
  const rejected: RejectedEvent[] = [];
  const ignoredTraits: IgnoredTraits[] = [];

  for (const [index, item] of envelope.batch.entries()) {
    const outcome = prepareItem(
      withEnvelope(item, envelope),
      batchSentAt,
      projectId,
      scope,
      received,
      receivedIso,
    );
    if ('record' in outcome) {
      records.push(outcome.record);
      indexes.push(index);
      if (outcome.ignoredTraits.length > 0) {
        ignoredTraits.push({
          index,
          messageId: outcome.record.message_id,
          code: 'forbidden_for_public_key',
          traits: outcome.ignoredTraits,
        });
      }
      continue;
    }
    const given = isObject(item) ? item.messageId : undefined;
    const messageId = typeof given === 'string' || typeof given === 'number' ? String(given) : null;
    rejected.push({ index, messageId, ...outcome.refusal });
  }
  return { records, indexes, rejected, ignoredTraits };
}
