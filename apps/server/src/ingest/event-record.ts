import { createHash, randomUUID } from 'node:crypto';
import {
  CANONICAL_INSTANT,
  instantOf,
  LIMITS,
  type Message,
  type MessageType,
  type TrackMessage,
} from '@tenure/schema';

/** One validated message, ready for the writer; keys are the writer's SQL column names. */
export interface EventRecord {
  project_id: string;
  message_id: string;
  type: MessageType;
  /** The track event name, or the page/screen name. */
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  /** `context.groupId`, or the `groupId` of a group call. */
  account_id: string | null;
  /** The `previousId` of an alias call. */
  previous_id: string | null;
  timestamp: string;
  original_timestamp: string | null;
  sent_at: string | null;
  received_at: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  integrations: Record<string, unknown> | null;
}

export type SkewResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * When the event happened, by the server's clock. A sender's clock may be off, but the gap
 * between its `timestamp` and `sentAt` is not, so `receivedAt − (sentAt − timestamp)` is the
 * best estimate. Future times are clamped to `receivedAt`; no timestamp means `receivedAt`.
 */
export function correctedTimestamp(
  timestamp: string | undefined,
  sentAt: number | undefined,
  receivedAt: number,
): SkewResult {
  let corrected = receivedAt;
  if (timestamp !== undefined) {
    const happened = instantOf(timestamp);
    corrected = sentAt === undefined ? happened : receivedAt - (sentAt - happened);
  }
  corrected = Math.min(corrected, receivedAt);
  if (!(corrected >= LIMITS.earliestTimestamp)) {
    return { ok: false, reason: 'Timestamp is before 2000-01-01' };
  }
  return { ok: true, timestamp: corrected };
}

/**
 * Senders should set `messageId`; for those that do not, a message with a timestamp gets an id
 * derived from its content, so that resending it is still idempotent. Without a timestamp two
 * identical messages may be two real events, so each gets a fresh id. The timestamp enters as
 * the instant it names (`…Z`, `.000Z` and `+00:00` are one moment, so one id): a client that
 * formats it differently on a retry must not store the event twice.
 */
export function messageIdOf(message: Message): string {
  if (message.messageId !== undefined) return message.messageId;
  if (message.timestamp === undefined) return randomUUID();
  const { sentAt: _sentAt, context: _context, integrations: _integrations, ...rest } = message;
  const content = { ...rest, timestamp: new Date(instantOf(message.timestamp)).toISOString() };
  return `derived-${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32)}`;
}

/** A validated timestamp in `toISOString` form; one SDKs sent that way is stored as it is. */
function isoOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  return CANONICAL_INSTANT.test(value) ? value : new Date(instantOf(value)).toISOString();
}

/** Dates inside semantic properties are stored in one form, so SQL can cast them safely. */
function normalizedProperties(message: TrackMessage): Record<string, unknown> {
  const properties = message.properties ?? {};
  if (message.event === 'subscription_cancelled' && typeof properties.endsAt === 'string') {
    return { ...properties, endsAt: new Date(instantOf(properties.endsAt)).toISOString() };
  }
  return properties;
}

/** What each message type stores as its event name, account, alias source and properties. */
function typeFields(message: Message) {
  const account_id = message.context?.groupId ?? null;
  switch (message.type) {
    case 'track':
      return {
        event: message.event,
        account_id,
        previous_id: null,
        properties: normalizedProperties(message),
      };
    case 'page':
    case 'screen':
      return {
        event: message.name ?? null,
        account_id,
        previous_id: null,
        properties: message.properties ?? {},
      };
    case 'identify':
      return { event: null, account_id, previous_id: null, properties: message.traits ?? {} };
    case 'group':
      // A group call belongs to the account it names.
      return {
        event: null,
        account_id: message.groupId,
        previous_id: null,
        properties: message.traits ?? {},
      };
    case 'alias':
      return { event: null, account_id, previous_id: message.previousId, properties: {} };
  }
}

export function toEventRecord(
  projectId: string,
  message: Message,
  timestamp: number,
  receivedAt: string,
): EventRecord {
  const { event, account_id, previous_id, properties } = typeFields(message);
  return {
    project_id: projectId,
    message_id: messageIdOf(message),
    type: message.type,
    event,
    user_id: message.userId ?? null,
    anonymous_id: message.anonymousId ?? null,
    account_id,
    previous_id,
    timestamp: new Date(timestamp).toISOString(),
    original_timestamp: isoOrNull(message.timestamp ?? message.originalTimestamp),
    sent_at: isoOrNull(message.sentAt),
    received_at: receivedAt,
    properties,
    context: message.context ?? {},
    integrations: message.integrations ?? null,
  };
}
