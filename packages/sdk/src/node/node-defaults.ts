import type { DeliveryLimits } from '../core/delivery.js';

/**
 * Node defaults: bigger batches (a backend sends many events; still half the server's 500 KB
 * and a fifth of its 2,500 events), and a queue bounded in count and bytes so that memory stays
 * flat while the server is slow or down.
 */
export const NODE_DEFAULTS: DeliveryLimits = {
  maxBatchEvents: 500,
  maxBatchBytes: 256_000,
  flushInterval: 5_000,
  maxQueueEvents: 10_000,
  maxQueueBytes: 16_000_000,
  retryBaseDelay: 1_000,
  maxRetryDelay: 30_000,
};

/** Longest wait for an answer to one request, in ms, before it counts as a network error. */
export const NODE_REQUEST_TIMEOUT = 15_000;
