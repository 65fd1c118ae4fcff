import { sql } from 'kysely';
import { addCounters, COUNTER_COLUMNS, COUNTERS } from './activity-counters.sql.js';
import { PROJECT } from './writer-parameters.js';

/**
 * The rollup steps of the writer's statement, as CTEs over `ins` (the events it inserted, so
 * never a duplicate): daily activity of accounts and users, feature use, support tickets and
 * subscription events. Rows are upserted in key order, so concurrent flushes lock shared
 * rollup rows in the same order and cannot deadlock.
 */
export const ROLLUPS = sql`
    counted as (
      select account_id, user_id, event, type, properties,
        (timestamp at time zone 'UTC')::date as day
      from ins where type in ('track', 'page', 'screen')
    ),
    account_days as (
      insert into account_daily (project_id, account_id, day, ${COUNTER_COLUMNS})
      select ${PROJECT}, account_id, day, ${COUNTERS}
      from counted where account_id is not null
      group by 2, 3 order by 2, 3
      on conflict (project_id, account_id, day) do update set ${addCounters('account_daily')}
    ),
    user_days as (
      insert into user_daily (project_id, account_id, day, user_id, ${COUNTER_COLUMNS})
      select ${PROJECT}, coalesce(account_id, ''), day, user_id, ${COUNTERS}
      from counted where user_id is not null
      group by 2, 3, 4 order by 2, 3, 4
      on conflict (project_id, account_id, day, user_id) do update set ${addCounters('user_daily')}
    ),
    feature_days as (
      insert into feature_daily (project_id, account_id, feature, day, user_id, uses)
      select ${PROJECT}, coalesce(account_id, ''), (properties ->> 'feature') collate "C", day,
        coalesce(user_id, ''), count(*)
      from counted where event = 'feature_used'
      group by 2, 3, 4, 5 order by 2, 3, 4, 5
      on conflict (project_id, account_id, feature, day, user_id)
        do update set uses = feature_daily.uses + excluded.uses
    ),
    tickets as (
      insert into support_tickets (project_id, ticket_id, account_id, user_id, priority,
        opened_at, resolved_at, satisfied)
      select ${PROJECT}, properties ->> 'ticketId', max(account_id), max(user_id),
        max(properties ->> 'priority'),
        min(timestamp) filter (where event = 'support_ticket_opened'),
        max(timestamp) filter (where event = 'support_ticket_resolved'),
        (array_agg((properties ->> 'satisfied')::boolean order by timestamp desc)
          filter (where event = 'support_ticket_resolved'))[1]
      from ins where event in ('support_ticket_opened', 'support_ticket_resolved')
        and type = 'track'
      group by 2 order by 2
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
      select ${PROJECT}, account_id, timestamp, message_id, event,
        properties ->> 'plan', (properties ->> 'mrr')::numeric, (properties ->> 'seats')::integer,
        properties ->> 'interval', (properties ->> 'endsAt')::timestamptz,
        properties ->> 'reason', properties ->> 'feedback'
      from ins where type = 'track' and account_id is not null and event in
        ('subscription_started', 'subscription_changed', 'subscription_renewed',
         'subscription_cancelled')
      order by 2, 3, 4
      on conflict do nothing
    )`;
