export interface BackoffOptions {
  /** Upper bound of the first retry's delay, in ms; doubles with each failed attempt. */
  retryBaseDelay: number;
  /** Upper bound of any backoff delay, in ms. */
  maxRetryDelay: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in
 * [0, min(maxRetryDelay, retryBaseDelay × 2^attempt)). Full jitter spreads thousands of clients
 * that failed together (a server restart) over the window instead of re-synchronising them.
 *
 * @param attempt 0 for the first retry.
 * @example backoffDelay(3, { retryBaseDelay: 1000, maxRetryDelay: 30_000 }, Math.random) // < 8000
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number) {
  const ceiling = Math.min(options.maxRetryDelay, options.retryBaseDelay * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date. Undefined when
 * absent or unreadable, so the caller falls back to backoff.
 */
export function retryAfterDelay(header: string | null | undefined, now: number) {
  if (!header) return undefined;
  const seconds = Number(header);
  const delay = seconds >= 0 ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(delay) ? undefined : Math.max(0, delay);
}

/**
 * Statuses worth retrying: no answer (0), request timeout, rate limiting and server errors.
 * Every other 4xx is the client's fault and would fail again.
 */
export function isRetryableStatus(status: number) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
