import { toIsoTime } from './to-iso-time.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The first group value: Amplitude writes `groups: { company: "acme" }` or `["acme"]`. */
function firstGroup(groups: unknown): unknown {
  if (!isObject(groups)) return undefined;
  for (const value of Object.values(groups)) {
    const id = Array.isArray(value) ? value[0] : value;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return undefined;
}

/**
 * An Amplitude export row as a message:
 * - `event_type` → track `event`; `$identify` → identify with `user_properties` as traits;
 *   `$groupidentify` → group with `group_properties` as traits;
 * - `event_time` (UTC, `2024-03-01 12:00:00.123456`) → `timestamp`;
 * - `user_id` → `userId`, `device_id` → `anonymousId`;
 * - `insert_id` (else Amplitude's `uuid`) → `messageId` as `amp-<id>`;
 * - the first value of `groups` → `context.groupId` (pick another group type with
 *   `--map groups.team=context.groupId`);
 * - `event_properties` → `properties`.
 */
export function fromAmplitude(row: Record<string, unknown>): Record<string, unknown> {
  const eventType = row.event_type;
  const groupId = firstGroup(row.groups);
  const message: Record<string, unknown> = { timestamp: toIsoTime(row.event_time) };
  if (eventType === '$identify') {
    message.type = 'identify';
    message.traits = isObject(row.user_properties) ? row.user_properties : {};
  } else if (eventType === '$groupidentify') {
    message.type = 'group';
    message.groupId = groupId;
    message.traits = isObject(row.group_properties) ? row.group_properties : {};
  } else {
    message.type = 'track';
    message.event = eventType;
    message.properties = isObject(row.event_properties) ? row.event_properties : {};
  }
  if (row.user_id !== undefined && row.user_id !== null && row.user_id !== '') {
    message.userId = row.user_id;
  }
  if (row.device_id !== undefined && row.device_id !== null && row.device_id !== '') {
    message.anonymousId = row.device_id;
  }
  if (groupId !== undefined && message.type !== 'group') message.context = { groupId };
  const id = row.insert_id ?? row.uuid;
  if (typeof id === 'string' && id !== '') message.messageId = `amp-${id}`;
  return message;
}
