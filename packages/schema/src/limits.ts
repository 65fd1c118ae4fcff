/**
 * Size limits of the ingestion API. They match Segment's HTTP Tracking API so that any
 * Segment-compatible client already batches within them.
 */
export const LIMITS = {
  /** Largest serialized message (JSON, UTF-8 bytes). */
  maxEventBytes: 32 * 1024,
  /** Largest request body after gzip decoding. */
  maxRequestBytes: 500 * 1024,
  /** Most messages in one `/v1/batch` request. */
  maxBatchEvents: 2500,
  /** Deepest nesting of `properties`, `traits` or `context`; deeper objects are rejected. */
  maxPropertyDepth: 16,
  /** Longest identifier (messageId, userId, anonymousId, groupId, event name). */
  maxIdLength: 255,
  /**
   * Earliest event time, and earliest `asOf` a query may ask about (ms since the epoch): each
   * month of events has a partition, no product analytics predates 2000, and 1970 is a bug.
   */
  earliestTimestamp: Date.UTC(2000, 0, 1),
} as const;
