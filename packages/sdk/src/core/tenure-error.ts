import type { ErrorCode, EventRejectionCode, Message } from '@tenure/schema';
import type { DropReason } from './event-queue.js';

/** Codes the SDK sets itself, for events it never sent (or could not keep). */
export type SdkErrorCode = DropReason | 'client_closed' | 'missing_identity';

/**
 * Every `TenureError.code`: the server's error codes and per-event rejection codes (one list,
 * in `@tenure/schema`), the SDK's own, and `http_<status>` for an answer without a code.
 */
export type TenureErrorCode = ErrorCode | EventRejectionCode | SdkErrorCode | `http_${number}`;

/**
 * Why events will not be delivered, as given to `onError`. Never retried: the events it names
 * are gone from the queue.
 */
export interface TenureError {
  /**
   * The server's code (`invalid_semantic_event`, `invalid_write_key`, `payload_too_large`, ...)
   * or the SDK's own: `queue_overflow` (oldest events dropped to stay bounded),
   * `event_too_large` (over 32 KB), `invalid_message` (properties JSON cannot hold: a cycle,
   * a BigInt), `client_closed` (a call after `shutdown()`), `missing_identity` (Node: no
   * userId or anonymousId).
   */
  code: TenureErrorCode;
  /** The server's reason, or the SDK's, in words. */
  message: string;
  /** HTTP status of the answer that refused the events, if one did. */
  status?: number | undefined;
  /** Path of the offending field inside the event, when the server names one. */
  path?: string | null | undefined;
  /** The events concerned. */
  messages: Message[];
}

export type ErrorHandler = (error: TenureError) => void;

let overflows = 0;

/**
 * The default hook: failures are loud, never silent. Pass `onError` to route them elsewhere.
 * A queue that stays full (a long outage) drops an event on every call: that is said on the
 * first drop and then every thousandth, not a thousand times.
 */
export const logError: ErrorHandler = (error) => {
  if (error.code === 'queue_overflow' && overflows++ % 1000 !== 0) return;
  console.error('[tenure]', error);
};
