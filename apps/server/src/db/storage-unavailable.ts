/**
 * Whether an error means the database cannot be reached (refused, reset, shut down, timed out)
 * rather than that a statement failed. Those answer 503 `storage_unavailable` with
 * Retry-After, not 500: the request was fine and will succeed once the database is back.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (matches(current)) return true;
    // `connect ECONNREFUSED` to a host with several addresses arrives as an AggregateError.
    if (current instanceof AggregateError && current.errors.some(matches)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// Socket errors of the driver: nothing answers, or the connection broke under a query.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATE: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect
// now: the server is stopping or still starting), 53300 (too many connections).
const SQLSTATE = /^(08|57P0[123]|53300)/;

// node-postgres reports these without a code ("Connection terminated due to connection
// timeout" included). Not pg-pool's "timeout exceeded when trying to connect": that is a wait
// for a free client of a busy pool, which is load, not a lost database.
const DRIVER_MESSAGES = /Connection terminated|not queryable|Client was closed|connection error/i;

function matches(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.test(message);
}
