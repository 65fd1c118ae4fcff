import * as byteOrderIds from '../migrations/2026-12-01T01-00-byte-order-ids.js';

/**
 * Migrations that cannot run on a database distributed by Citus, by name, with the reason.
 * A migration belongs here only when it cannot be written to work on both (one that alters or
 * rewrites `project_id`, the distribution column); `migrateToLatest` refuses to start when one
 * of them is pending on a distributed database, before any step runs.
 */
export const REFUSED_ON_CITUS: Record<string, string> = {
  '2026-12-01T01-00-byte-order-ids': byteOrderIds.notOnCitus,
};
