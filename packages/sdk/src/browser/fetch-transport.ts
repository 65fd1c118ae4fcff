import type { Transport } from '../core/runtime.js';
import { utf8Length } from '../core/utf8-length.js';

/**
 * Sends with `fetch`, a string body (so `text/plain`) with the write key in it: a CORS "simple
 * request", so no preflight round trip per batch. `keepalive` lets a batch in flight finish
 * when the page goes away; browsers cap keepalive bodies at 64 KB, hence the default batch size.
 */
export function fetchTransport(timeoutMs = 30_000): Transport {
  return {
    keyInBody: true,
    async send({ url, body }) {
      const response = await fetch(url, {
        method: 'POST',
        body,
        keepalive: utf8Length(body) < 65_536,
        // One batch is in flight at a time: a request a proxy never answers must not hold the
        // queue until the browser gives up minutes later. It fails as a network error and is
        // retried (the server deduplicates, should it have been stored). Older browsers
        // without AbortSignal.timeout wait for the browser's own limit.
        signal: AbortSignal.timeout?.(timeoutMs),
      });
      return {
        status: response.status,
        // Readable cross-origin only if the server exposes it (Access-Control-Expose-Headers).
        retryAfter: response.headers.get('Retry-After'),
        body: await response.text(),
      };
    },
  };
}
