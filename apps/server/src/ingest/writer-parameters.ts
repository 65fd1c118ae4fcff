import { sql } from 'kysely';

/**
 * The writer's statement is text built once with two parameters, so that it is prepared once
 * per connection (db/preparing-client.ts) and every flush only binds them:
 * `$1`, the flush's project, and `$2`, its records as a JSON array of rows (write-events.sql.ts).
 *
 * Every table reference in the statement is pinned to `PROJECT`, not joined to it through
 * another table: Citus can then route the whole statement to the one node that holds the
 * project (docs/operations.md), and on any engine an index range starts at the project.
 */
export const PROJECT = sql.raw('$1::text');
export const RECORDS = sql.raw('$2::jsonb');
