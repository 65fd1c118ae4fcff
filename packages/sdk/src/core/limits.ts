import type { LIMITS } from '@tenure/schema';

/**
 * The server's largest event, in bytes (JSON, UTF-8), restated so that no schema code lands in
 * the bundle. Typed from `LIMITS` (a type-only import of a literal type), so a change on the
 * server side fails to compile here.
 */
export const MAX_EVENT_BYTES: (typeof LIMITS)['maxEventBytes'] = 32768;
