import { sql } from 'kysely';
import { ENTITY_STEPS } from './entities.sql.js';
import { ROLLUP_STEPS } from './rollups.sql.js';
import { PROJECT } from './writer-parameters.js';
import type { WriterStep } from './writer-step.sql.js';

/**
 * `flush_links`: the identify (anonymousId + userId) and alias (previousId -> userId) calls of
 * the flush, which resolve its anonymous events too, not only later flushes'.
 */
export const FLUSH_LINKS = sql`
    flush_links as (
      select distinct on (coalesce(previous_id, anonymous_id))
        coalesce(previous_id, anonymous_id) as anonymous_id, user_id, timestamp as linked_at
      from fresh
      where user_id is not null
        and (type = 'alias' or (type = 'identify' and anonymous_id is not null))
      order by coalesce(previous_id, anonymous_id), timestamp desc
    )`;

/**
 * Identity resolution of `fresh`, after `flush_links`. Lookups are left joins on unique keys,
 * not correlated subqueries (Citus plans no correlated subquery over a CTE), each pinned to
 * the project, and each keyed by a lookup column that is null where the message carries the id.
 */
export const RESOLVE = sql`
    -- A group call moves its user to the account before the flush's other events are
    -- attributed, so "identify, group, track" in one batch lands on the account.
    flush_group as (
      select distinct on (user_id) user_id, account_id
      from fresh where type = 'group' and user_id is not null
      order by user_id, timestamp desc
    ),
    resolved as (
      select f.*, coalesce(f.user_id, fl.user_id, idn.user_id) as resolved_user_id
      from fresh f
      left join flush_links fl on fl.anonymous_id = f.anonymous_lookup
      left join identities idn on idn.project_id = ${PROJECT}
        and idn.anonymous_id = f.anonymous_lookup
    ),
    attributed as (
      select r.*, case when r.account_id is null then r.resolved_user_id end as account_lookup
      from resolved r
    )`;

/** The columns of `events` the writer fills, in the order of its insert and of `asRow`'s rows. */
export const EVENT_COLUMNS = [
  'project_id',
  'timestamp',
  'message_id',
  'type',
  'event',
  'user_id',
  'anonymous_id',
  'account_id',
  'properties',
  'context',
  'integrations',
  'original_timestamp',
  'sent_at',
  'received_at',
] as const;

/**
 * The events themselves, from `attributed`, each filed under its resolved user and account.
 * The alias is for Citus 13: it sends an `insert … select … returning` into a partitioned
 * table's shard named without an alias, yet qualifies the returned columns with the table's
 * own name, which the worker does not know ("missing FROM-clause entry for table events").
 */
export const INSERT_EVENTS: WriterStep = {
  name: 'ins',
  target: sql`events as new_event (${sql.raw(EVENT_COLUMNS.join(', '))})`,
  rows: sql`
      select a.timestamp, a.message_id, a.type, a.event, a.resolved_user_id as user_id,
        a.anonymous_id, coalesce(a.account_id, fg.account_id, u.account_id) as account_id,
        a.properties, a.context, a.integrations, a.original_timestamp, a.sent_at, a.received_at
      from attributed a
      left join flush_group fg on fg.user_id = a.account_lookup
      left join users u on u.project_id = ${PROJECT} and u.user_id = a.account_lookup`,
  keyOrder: [],
  onConflict: sql``,
};

/** The steps after the events, which read `ins` (and `links`, `flush_links`). */
export const AFTER_EVENTS: readonly WriterStep[] = [...ROLLUP_STEPS, ...ENTITY_STEPS];
