import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.types.js';
import { PREPARED } from '../db/preparing-client.js';
import type { EventRecord } from './event-record.js';

export interface InsertedKey {
  project_id: string;
  message_id: string;
  /** The account the event was stored under (resolved from its user when it named none). */
  account_id: string | null;
}

// Counters of account_daily and user_daily, as aggregate expressions over rows of `events`
// (the engagement queries apply them to the raw events of a partial day).
export const COUNTERS = sql`
  count(*) as events,
  count(*) filter (where event = 'login') as logins,
  count(*) filter (where event = 'feature_used') as feature_uses,
  count(*) filter (where event = 'support_ticket_opened') as tickets_opened,
  count(*) filter (where event = 'support_ticket_resolved') as tickets_resolved,
  count(*) filter (where event = 'support_ticket_resolved'
                     and properties ->> 'satisfied' = 'false') as tickets_unsatisfied,
  count(*) filter (where event = 'password_reset_requested') as password_resets,
  count(*) filter (where event = 'kb_article_viewed') as kb_views,
  count(*) filter (where event = 'email_opened') as email_opens,
  count(*) filter (where event = 'email_clicked') as email_clicks,
  count(*) filter (where event = 'content_viewed') as content_views,
  count(*) filter (where event = 'milestone_reached') as milestones,
  count(*) filter (where type <> 'track') as page_views`;

function addCounters(table: 'account_daily' | 'user_daily') {
  const t = sql.raw(table);
  return sql`
    events = ${t}.events + excluded.events,
    logins = ${t}.logins + excluded.logins,
    feature_uses = ${t}.feature_uses + excluded.feature_uses,
    tickets_opened = ${t}.tickets_opened + excluded.tickets_opened,
    tickets_resolved = ${t}.tickets_resolved + excluded.tickets_resolved,
    tickets_unsatisfied = ${t}.tickets_unsatisfied + excluded.tickets_unsatisfied,
    password_resets = ${t}.password_resets + excluded.password_resets,
    kb_views = ${t}.kb_views + excluded.kb_views,
    email_opens = ${t}.email_opens + excluded.email_opens,
    email_clicks = ${t}.email_clicks + excluded.email_clicks,
    content_views = ${t}.content_views + excluded.content_views,
    milestones = ${t}.milestones + excluded.milestones,
    page_views = ${t}.page_views + excluded.page_views`;
}

const COUNTER_COLUMNS = sql`events, logins, feature_uses, tickets_opened, tickets_resolved,
  tickets_unsatisfied, password_resets, kb_views, email_opens, email_clicks, content_views,
  milestones, page_views`;

/**
 * `first_seen`/`last_seen` of users, accounts and memberships are kept to the hour: a row is
 * rewritten only when something else changed or its last_seen moves by an hour or more. A
 * busy user would otherwise cost a new row version on every flush, the largest part of the
 * write cost (see docs/benchmarks.md). Exact times are in the events and daily rollups.
 *
 * The rule is applied twice. Before the upsert, against the row as the statement's snapshot
 * saw it, so that rows with nothing to change are not even locked (`on conflict do update`
 * locks the row, and writes WAL for the lock, even when its `where` is false); this is safe
 * because a row's window only ever widens, so a newer version covers at least as much. And
 * in the upsert's `where`, against the row as it is when locked.
 */
function seenChanged(incoming: string, current: string) {
  const [seen, row] = [sql.raw(incoming), sql.raw(current)];
  return sql`(${seen}.first_seen < ${row}.first_seen
    or ${seen}.last_seen >= ${row}.last_seen + interval '1 hour')`;
}

// Traits merge by time, not by arrival: a late-arriving older identify must not overwrite
// newer traits, so the newer side's keys win either way.
function mergeTraits(table: 'users' | 'accounts') {
  const t = sql.raw(table);
  return sql`
    traits = case
      when excluded.traits_at is null then ${t}.traits
      when ${t}.traits_at is null or excluded.traits_at >= ${t}.traits_at
        then ${t}.traits || excluded.traits
      else excluded.traits || ${t}.traits end,
    traits_at = greatest(${t}.traits_at, excluded.traits_at),
    first_seen = least(${t}.first_seen, excluded.first_seen),
    last_seen = greatest(${t}.last_seen, excluded.last_seen)`;
}

/** Keeps the trait calls (group for accounts, identify for users) among the new events. */
function insertTraitChanges(subject: 'account' | 'user') {
  const [table, id, call] =
    subject === 'account'
      ? ['account_trait_changes', 'account_id', 'group']
      : ['user_trait_changes', 'user_id', 'identify'];
  const [t, column] = [sql.raw(table), sql.raw(id)];
  return sql`
      insert into ${t} (project_id, ${column}, timestamp, message_id, traits)
      select project_id, ${column}, timestamp, message_id, properties
      from ins where type = ${sql.lit(call)} and ${column} is not null and properties <> '{}'
      order by 1, 2, 3, 4
      on conflict do nothing`;
}

/**
 * Writes events and every rollup in one statement, hence one transaction. Dedup and rollups
 * agree by construction: rollups are computed only from the rows that `event_keys` accepted as
 * new, so a retried batch inserts nothing and counts nothing. Rows are upserted in key order,
 * so concurrent flushes lock shared rollup rows in the same order and cannot deadlock.
 *
 * The statement's text never changes (the records are its one parameter), so it is prepared
 * once per connection. Ids are read in the byte collation of the columns they go to (see the
 * byte-order-ids migration), so that its sorts and joins on them compare bytes too.
 *
 * Returns the keys that were new; the rest were duplicates.
 */
export async function writeEvents(db: DbOrTx, records: EventRecord[]): Promise<InsertedKey[]> {
  if (records.length === 0) return [];
  const result = await writeEventsStatement(records).execute(db);
  return result.rows;
}

/**
 * A record as a JSON array, in the positions the statement's `input` reads. Arrays rather than
 * objects: a third less to serialize, send and parse, since no key is repeated per event.
 */
function asRow(record: EventRecord) {
  return [
    record.project_id,
    record.message_id,
    record.type,
    record.event,
    record.user_id,
    record.anonymous_id,
    record.account_id,
    record.previous_id,
    record.timestamp,
    record.original_timestamp,
    record.sent_at,
    record.received_at,
    record.properties,
    record.context,
    record.integrations,
  ];
}

function writeEventsStatement(records: EventRecord[]) {
  return sql<InsertedKey>`${sql.raw(PREPARED)}
    with input as (
      select (r ->> 0) collate "C" as project_id, (r ->> 1) collate "C" as message_id,
        r ->> 2 as type, r ->> 3 as event, (r ->> 4) collate "C" as user_id,
        (r ->> 5) collate "C" as anonymous_id, (r ->> 6) collate "C" as account_id,
        (r ->> 7) collate "C" as previous_id, (r ->> 8)::timestamptz as timestamp,
        (r ->> 9)::timestamptz as original_timestamp, (r ->> 10)::timestamptz as sent_at,
        (r ->> 11)::timestamptz as received_at, r -> 12 as properties, r -> 13 as context,
        nullif(r -> 14, 'null') as integrations
      from jsonb_array_elements(${JSON.stringify(records.map(asRow))}::jsonb) as rows(r)
    ),
    new_keys as (
      insert into event_keys (project_id, message_id)
      select project_id, message_id from input order by 1, 2
      on conflict do nothing
      returning project_id, message_id
    ),
    fresh as (
      select input.* from input join new_keys using (project_id, message_id)
    ),
    -- identify (anonymousId + userId) and alias (previousId -> userId) calls of this flush
    -- resolve its anonymous events too, not only later flushes'.
    flush_links as (
      select distinct on (project_id, coalesce(previous_id, anonymous_id))
        project_id, coalesce(previous_id, anonymous_id) as anonymous_id, user_id,
        timestamp as linked_at
      from fresh
      where user_id is not null
        and (type = 'alias' or (type = 'identify' and anonymous_id is not null))
      order by project_id, coalesce(previous_id, anonymous_id), timestamp desc
    ),
    -- A group call moves its user to the account before the flush's other events are
    -- attributed, so "identify, group, track" in one batch lands on the account.
    flush_group as (
      select distinct on (project_id, user_id) project_id, user_id, account_id
      from fresh where type = 'group' and user_id is not null
      order by project_id, user_id, timestamp desc
    ),
    -- Lookups only where the message lacks the id: coalesce stops at the first non-null, so
    -- an event that carries its userId and groupId (most do) costs no index probe.
    resolved as (
      select f.*, coalesce(f.user_id,
        (select fl.user_id from flush_links fl
          where fl.project_id = f.project_id and fl.anonymous_id = f.anonymous_id),
        (select idn.user_id from identities idn
          where idn.project_id = f.project_id and idn.anonymous_id = f.anonymous_id)
      ) as resolved_user_id
      from fresh f
    ),
    ins as (
      insert into events (project_id, timestamp, message_id, type, event, user_id, anonymous_id,
        account_id, properties, context, integrations, original_timestamp, sent_at, received_at)
      select r.project_id, r.timestamp, r.message_id, r.type, r.event, r.resolved_user_id,
        r.anonymous_id, coalesce(r.account_id,
          (select fg.account_id from flush_group fg
            where fg.project_id = r.project_id and fg.user_id = r.resolved_user_id),
          (select u.account_id from users u
            where u.project_id = r.project_id and u.user_id = r.resolved_user_id)),
        r.properties, r.context, r.integrations, r.original_timestamp, r.sent_at, r.received_at
      from resolved r
      returning project_id, timestamp, message_id, type, event, user_id, account_id, properties
    ),
    counted as (
      select project_id, account_id, user_id, event, type, properties,
        (timestamp at time zone 'UTC')::date as day
      from ins where type in ('track', 'page', 'screen')
    ),
    account_days as (
      insert into account_daily (project_id, account_id, day, ${COUNTER_COLUMNS})
      select project_id, account_id, day, ${COUNTERS}
      from counted where account_id is not null
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (project_id, account_id, day) do update set ${addCounters('account_daily')}
    ),
    user_days as (
      insert into user_daily (project_id, account_id, day, user_id, ${COUNTER_COLUMNS})
      select project_id, coalesce(account_id, ''), day, user_id, ${COUNTERS}
      from counted where user_id is not null
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (project_id, account_id, day, user_id) do update set ${addCounters('user_daily')}
    ),
    feature_days as (
      insert into feature_daily (project_id, account_id, feature, day, user_id, uses)
      select project_id, coalesce(account_id, ''), (properties ->> 'feature') collate "C", day,
        coalesce(user_id, ''), count(*)
      from counted where event = 'feature_used'
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (project_id, account_id, feature, day, user_id)
        do update set uses = feature_daily.uses + excluded.uses
    ),
    tickets as (
      insert into support_tickets (project_id, ticket_id, account_id, user_id, priority,
        opened_at, resolved_at, satisfied)
      select project_id, properties ->> 'ticketId', max(account_id), max(user_id),
        max(properties ->> 'priority'),
        min(timestamp) filter (where event = 'support_ticket_opened'),
        max(timestamp) filter (where event = 'support_ticket_resolved'),
        (array_agg((properties ->> 'satisfied')::boolean order by timestamp desc)
          filter (where event = 'support_ticket_resolved'))[1]
      from ins where event in ('support_ticket_opened', 'support_ticket_resolved')
        and type = 'track'
      group by 1, 2 order by 1, 2
      on conflict (project_id, ticket_id) do update set
        account_id = coalesce(support_tickets.account_id, excluded.account_id),
        user_id = coalesce(support_tickets.user_id, excluded.user_id),
        priority = coalesce(excluded.priority, support_tickets.priority),
        opened_at = least(support_tickets.opened_at, excluded.opened_at),
        satisfied = case when excluded.resolved_at >= coalesce(support_tickets.resolved_at,
          '-infinity') then excluded.satisfied else support_tickets.satisfied end,
        resolved_at = greatest(support_tickets.resolved_at, excluded.resolved_at)
    ),
    subscriptions as (
      insert into subscription_events (project_id, account_id, timestamp, message_id, event,
        plan, mrr, seats, billing_interval, ends_at, reason, feedback)
      select project_id, account_id, timestamp, message_id, event,
        properties ->> 'plan', (properties ->> 'mrr')::numeric, (properties ->> 'seats')::integer,
        properties ->> 'interval', (properties ->> 'endsAt')::timestamptz,
        properties ->> 'reason', properties ->> 'feedback'
      from ins where type = 'track' and account_id is not null and event in
        ('subscription_started', 'subscription_changed', 'subscription_renewed',
         'subscription_cancelled')
      order by 1, 2, 3, 4
      on conflict do nothing
    ),
    -- Trait history for answers as of a past time (accounts and users below keep only the
    -- merge). From fresh rows only, so a retried batch adds none; calls without traits change
    -- no merge and are not kept.
    account_traits as (${insertTraitChanges('account')}),
    user_traits as (${insertTraitChanges('user')}),
    user_rows as (
      insert into users (project_id, user_id, traits, traits_at, account_id, account_at,
        first_seen, last_seen)
      select seen.* from (
        select project_id, user_id,
          coalesce(tenure_jsonb_merge(properties order by timestamp)
            filter (where type = 'identify'), '{}') as traits,
          max(timestamp) filter (where type = 'identify') as traits_at,
          (array_agg(account_id order by timestamp desc) filter (where type = 'group'))[1]
            as account_id,
          max(timestamp) filter (where type = 'group') as account_at,
          min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where user_id is not null group by 1, 2
      ) seen
      left join users cur using (project_id, user_id)
      where cur.user_id is null or seen.traits_at is not null or seen.account_at is not null
        or ${seenChanged('seen', 'cur')}
      order by 1, 2
      on conflict (project_id, user_id) do update set ${mergeTraits('users')},
        account_id = case when excluded.account_at >= coalesce(users.account_at, '-infinity')
          then excluded.account_id else users.account_id end,
        account_at = greatest(users.account_at, excluded.account_at)
      where excluded.traits_at is not null or excluded.account_at is not null
        or ${seenChanged('excluded', 'users')}
    ),
    account_rows as (
      insert into accounts (project_id, account_id, traits, traits_at, first_seen, last_seen)
      select seen.* from (
        select project_id, account_id,
          coalesce(tenure_jsonb_merge(properties order by timestamp)
            filter (where type = 'group'), '{}') as traits,
          max(timestamp) filter (where type = 'group') as traits_at,
          min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where account_id is not null group by 1, 2
      ) seen
      left join accounts cur using (project_id, account_id)
      where cur.account_id is null or seen.traits_at is not null
        or ${seenChanged('seen', 'cur')}
      order by 1, 2
      on conflict (project_id, account_id) do update set ${mergeTraits('accounts')}
      where excluded.traits_at is not null or ${seenChanged('excluded', 'accounts')}
    ),
    memberships as (
      insert into account_users (project_id, account_id, user_id, first_seen, last_seen)
      select seen.* from (
        select project_id, account_id, user_id,
          min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where account_id is not null and user_id is not null group by 1, 2, 3
      ) seen
      left join account_users cur using (project_id, account_id, user_id)
      where cur.user_id is null or ${seenChanged('seen', 'cur')}
      order by 1, 2, 3
      on conflict (project_id, account_id, user_id) do update set
        first_seen = least(account_users.first_seen, excluded.first_seen),
        last_seen = greatest(account_users.last_seen, excluded.last_seen)
      where ${seenChanged('excluded', 'account_users')}
    ),
    links as (
      insert into identities (project_id, anonymous_id, user_id, linked_at)
      select project_id, anonymous_id, user_id, linked_at from flush_links order by 1, 2
      on conflict (project_id, anonymous_id) do update set
        user_id = excluded.user_id, linked_at = excluded.linked_at
        where excluded.linked_at >= identities.linked_at
    )
    -- Every new key is inserted into events, so ins holds them all, with the account each
    -- was resolved to: the score keeper re-scores those accounts after the commit.
    select project_id, message_id, account_id from ins
  `;
}

export { writeEventsStatement };
