import type { Transport } from '../core/runtime.js';

/**
 * Sends with Node's `fetch`, authenticated the Segment way: HTTP Basic with the write key as
 * user name and an empty password. A request without an answer after `timeout` ms is aborted
 * and retried like any network error; `close()` aborts the requests under way, so that a
 * server that stopped answering cannot hold the process after `shutdown()`.
 */
export function nodeTransport(timeout: number): Transport & { close(): void } {
  const inFlight = new Set<AbortController>();
  return {
    async send({ url, body, writeKey }) {
      const controller = new AbortController();
      inFlight.add(controller);
      try {
        const response = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
          },
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(timeout)]),
        });
        return {
          status: response.status,
          retryAfter: response.headers.get('Retry-After'),
          body: await response.text(),
        };
      } finally {
        inFlight.delete(controller);
      }
    },
    close() {
      for (const controller of inFlight) controller.abort();
    },
  };
}
