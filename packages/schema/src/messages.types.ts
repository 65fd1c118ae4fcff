/**
 * Hand-written types of the wire contract. The zod schemas in `messages.schema.ts` are tied to
 * them with `satisfies`, so the two cannot drift apart. The SDK imports only these types.
 */

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Segment's `context` object; `groupId` names the account the message belongs to. */
export interface MessageContext {
  groupId?: string | undefined;
  [key: string]: unknown;
}

export interface MessageBase {
  /** Unique per message; the server deduplicates on it, per project. */
  messageId?: string | undefined;
  /** When the event happened, by the sender's clock (ISO-8601). */
  timestamp?: string | undefined;
  /** When the message was sent, by the sender's clock; used to correct clock skew. */
  sentAt?: string | undefined;
  originalTimestamp?: string | undefined;
  userId?: string | undefined;
  anonymousId?: string | undefined;
  context?: MessageContext | undefined;
  integrations?: Record<string, unknown> | undefined;
}

export interface TrackMessage extends MessageBase {
  type: 'track';
  event: string;
  properties?: Record<string, unknown> | undefined;
}

export interface IdentifyMessage extends MessageBase {
  type: 'identify';
  traits?: Record<string, unknown> | undefined;
}

export interface GroupMessage extends MessageBase {
  type: 'group';
  groupId: string;
  traits?: Record<string, unknown> | undefined;
}

export interface PageMessage extends MessageBase {
  type: 'page' | 'screen';
  name?: string | undefined;
  category?: string | undefined;
  properties?: Record<string, unknown> | undefined;
}

export interface AliasMessage extends MessageBase {
  type: 'alias';
  previousId: string;
  userId: string;
}

export type Message = TrackMessage | IdentifyMessage | GroupMessage | PageMessage | AliasMessage;
export type MessageType = Message['type'];

export const MESSAGE_TYPES = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;

/** The body of `POST /v1/batch`. Top-level `context` and `integrations` merge into each item. */
export interface BatchEnvelope {
  batch: unknown[];
  sentAt?: string | undefined;
  context?: MessageContext | undefined;
  integrations?: Record<string, unknown> | undefined;
  /** The write key, for senders that cannot set headers (`navigator.sendBeacon`). */
  writeKey?: string | undefined;
}

/** One message the server refused, by its index in the batch. */
export interface RejectedEvent {
  index: number;
  messageId: string | null;
  code: EventRejectionCode;
  message: string;
  path: string | null;
}

/** The body of a 2xx answer to an ingestion request. */
export interface IngestResult {
  /** Messages newly committed by this request. */
  accepted: number;
  /** Messages already stored by an earlier request with the same messageId. */
  duplicates: number;
  rejected: RejectedEvent[];
  /**
   * Revenue traits (`mrr`, `seats`, ...) a public write key sent in `group`/`identify` calls:
   * the call is stored without them. Present only when something was left out.
   */
  ignoredTraits?: IgnoredTraits[];
}

/** Traits of one accepted message that were not applied, by its index in the batch. */
export interface IgnoredTraits {
  index: number;
  messageId: string | null;
  code: 'forbidden_for_public_key';
  traits: string[];
}

/**
 * Why one message of a batch was refused (`rejected[].code` of a 2xx answer): the server sets
 * them, the SDK reports them through `onError` with the same type.
 */
export const EVENT_REJECTION_CODES = [
  'invalid_message',
  'unknown_type',
  'missing_identity',
  'invalid_timestamp',
  'invalid_semantic_event',
  'event_too_large',
  'too_deep',
  /** Revenue facts (`subscription_*` events) need a server-side key, not a public write key. */
  'forbidden_for_public_key',
  /** Valid by the contract, but the database refused to store it (reported with its reason). */
  'unstorable',
] as const;

export type EventRejectionCode = (typeof EVENT_REJECTION_CODES)[number];
