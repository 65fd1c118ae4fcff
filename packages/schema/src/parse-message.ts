import type { z } from 'zod';
import { inspectValue } from './inspect-value.js';
import { LIMITS } from './limits.js';
import { messageSchemas } from './messages.schema.js';
import type { EventRejectionCode, Message } from './messages.types.js';
import { MESSAGE_TYPES } from './messages.types.js';
import { semanticEventSchemas } from './semantic-events.schema.js';
import { isSemanticEventName } from './semantic-events.types.js';

export type ParseMessageResult =
  | { ok: true; message: Message }
  | { ok: false; code: EventRejectionCode; message: string; path: string | null };

function reject(code: EventRejectionCode, message: string, path: string | null = null) {
  return { ok: false as const, code, message, path };
}

const MAX_ECHOED_TYPE = 64;

/**
 * The offending `type` for an error message: a short string is quoted, anything else is named
 * by its kind. Never serializes the value, which may be nested 100,000 levels deep (a stack
 * overflow in `JSON.stringify`) or 400 KB long (echoed into every rejection).
 */
function describeType(type: unknown): string {
  if (type === undefined || type === null) return 'null';
  if (typeof type !== 'string') return Array.isArray(type) ? '(an array)' : `(a ${typeof type})`;
  const shown = type.length > MAX_ECHOED_TYPE ? `${type.slice(0, MAX_ECHOED_TYPE)}…` : type;
  return JSON.stringify(shown);
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string[] = []) {
  const path = [...prefix, ...issue.path.map(String)].join('.') || null;
  return { path, message: path ? `${path}: ${issue.message}` : issue.message };
}

/**
 * The message without its null fields (and a null `context.groupId`): Segment libraries such
 * as analytics-python send `"anonymousId": null` or `"name": null` for a value they do not
 * have, which means absent. Copies only when there is a null to drop.
 */
function withoutNulls(raw: object): object {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (value !== null) continue;
    copy ??= { ...raw };
    delete copy[key];
  }
  const message = copy ?? (raw as Record<string, unknown>);
  const context = message.context as Record<string, unknown> | undefined;
  if (context !== null && typeof context === 'object' && context.groupId === null) {
    const { groupId: _groupId, ...rest } = context;
    return { ...message, context: rest };
  }
  return message;
}

/**
 * Validates one message of a batch: its type, size, shape, identity and, for semantic events,
 * the typed properties. Never throws; a refusal carries a stable code and the offending path.
 *
 * @example
 * parseMessage({ type: 'track', event: 'login', userId: 'u1' }) // { ok: true, message }
 */
export function parseMessage(raw: unknown, byteLength?: number): ParseMessageResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject('invalid_message', 'Each batch item must be a JSON object');
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return reject(
      'unknown_type',
      `Unknown message type ${describeType(type)}; expected one of ${MESSAGE_TYPES.join(', ')}`,
      'type',
    );
  }
  // The message itself adds two levels (e.g. properties.nested) on top of the property limit.
  const inspection = inspectValue(raw, LIMITS.maxPropertyDepth + 2);
  if (inspection.tooDeep) {
    return reject('too_deep', `Nested deeper than ${LIMITS.maxPropertyDepth} levels`);
  }
  const bytes = byteLength ?? inspection.bytes;
  if (bytes > LIMITS.maxEventBytes) {
    return reject(
      'event_too_large',
      `Message is ${bytes} bytes; the limit is ${LIMITS.maxEventBytes} bytes`,
    );
  }
  if (inspection.nonFinite) {
    return reject(
      'invalid_message',
      'Numbers must be finite: a value like 1e400 is out of range and cannot be stored',
    );
  }
  if (inspection.unstorable) {
    return reject(
      'invalid_message',
      'Strings must be well-formed Unicode without NUL characters (\\u0000)',
    );
  }

  const parsed = messageSchemas[type as Message['type']].safeParse(withoutNulls(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const { path, message } = describeIssue(issue);
    const field = issue.path[0];
    const code: EventRejectionCode =
      field === 'timestamp' || field === 'sentAt' || field === 'originalTimestamp'
        ? 'invalid_timestamp'
        : 'invalid_message';
    return reject(code, message, path);
  }
  const message = parsed.data as Message;

  if (message.userId === undefined && message.anonymousId === undefined) {
    return reject('missing_identity', 'Either userId or anonymousId is required', 'userId');
  }

  if (message.type === 'track' && isSemanticEventName(message.event)) {
    const checked = semanticEventSchemas[message.event].safeParse(message.properties ?? {});
    if (!checked.success) {
      const { path, message: text } = describeIssue(checked.error.issues[0]!, ['properties']);
      return reject(
        'invalid_semantic_event',
        `Invalid properties for semantic event "${message.event}": ${text}`,
        path,
      );
    }
    message.properties = checked.data;
  }
  return { ok: true, message };
}
