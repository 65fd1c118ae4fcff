import { toIsoTime } from './to-iso-time.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Mixpanel's simplified ID merge writes anonymous distinct ids as `$device:<id>`. */
const DEVICE_PREFIX = '$device:';

/**
 * A Mixpanel raw export row, `{ event, properties: { time, distinct_id, $insert_id, ... } }`,
 * as a track message:
 * - `event` → `event`; `properties.time` (Unix seconds or ms) → `timestamp`;
 * - `$user_id` (else `distinct_id`) → `userId`; `$device_id`, or a `$device:` distinct id,
 *   → `anonymousId`;
 * - `$insert_id` → `messageId` as `mp-<insert_id>` (Mixpanel's own dedup key);
 * - every other property → `properties` (`token` dropped: it is the project's secret-ish key).
 * Accounts are not part of a Mixpanel event: map the group key property, e.g.
 * `--map properties.company_id=context.groupId`.
 */
export function fromMixpanel(row: Record<string, unknown>): Record<string, unknown> {
  const source = isObject(row.properties) ? row.properties : {};
  const {
    time,
    distinct_id: distinctId,
    $insert_id: insertId,
    $user_id: mixpanelUserId,
    $device_id: deviceId,
    token: _token,
    ...properties
  } = source;
  const deviceDistinct =
    typeof distinctId === 'string' && distinctId.startsWith(DEVICE_PREFIX)
      ? distinctId.slice(DEVICE_PREFIX.length)
      : undefined;
  const userId = mixpanelUserId ?? (deviceDistinct === undefined ? distinctId : undefined);
  const message: Record<string, unknown> = {
    type: 'track',
    event: row.event,
    timestamp: toIsoTime(time),
    properties,
  };
  if (userId !== undefined && userId !== '') message.userId = userId;
  const anonymousId = deviceId ?? deviceDistinct;
  if (anonymousId !== undefined && anonymousId !== '') message.anonymousId = anonymousId;
  if (typeof insertId === 'string' && insertId !== '') message.messageId = `mp-${insertId}`;
  return message;
}
