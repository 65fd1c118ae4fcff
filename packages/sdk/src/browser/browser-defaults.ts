import type { DeliveryLimits } from '../core/delivery.js';

/**
 * Browser defaults: small batches (keepalive and sendBeacon bodies are capped at 64 KB), a
 * short interval (a tab can close at any moment), and a queue that fits in localStorage next
 * to the app's own data (about 5 MB per origin).
 */
export const BROWSER_DEFAULTS: DeliveryLimits = {
  maxBatchEvents: 100,
  maxBatchBytes: 64_000,
  flushInterval: 2_000,
  maxQueueEvents: 1_000,
  maxQueueBytes: 1_000_000,
  retryBaseDelay: 1_000,
  maxRetryDelay: 30_000,
};
