/**
 * A Segment message, as the API takes it or as Segment's own exports (S3/warehouse NDJSON)
 * write it. Exports carry `sentAt` and `receivedAt` from the original delivery: the stored
 * `timestamp` is already corrected for clock skew, and correcting again against today's clock
 * would move years-old events to now, so both are dropped. Other export-only fields
 * (`projectId`, `version`, `channel`, `writeKey`) are ignored by validation.
 */
export function fromSegment(row: Record<string, unknown>): Record<string, unknown> {
  const { sentAt: _sentAt, receivedAt, writeKey: _writeKey, ...message } = row;
  if (message.timestamp === undefined && message.originalTimestamp === undefined) {
    // A message that never had a timestamp happened when Segment received it.
    if (typeof receivedAt === 'string') message.timestamp = receivedAt;
  }
  return message;
}
