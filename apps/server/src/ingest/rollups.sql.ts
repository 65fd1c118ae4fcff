import { sql } from 'kysely';
import { addCounters, COUNTER_COLUMNS, COUNTERS } from './activity-counters.sql.js';
import type { WriterStep } from './writer-step.sql.js';

/** `counted`: the events of `ins` (the new events, never a duplicate) the daily rollups count. */
export const COUNTED = sql`
    counted as (
      select account_id, user_id, event, type, properties,
        (timestamp at time zone 'UTC')::date as day
      from ins where type in ('track', 'page', 'screen')
    )`;

/** Track events the writer files beyond the day counters (support tickets, subscriptions). */
export const TICKET_EVENTS = new Set(['support_ticket_opened', 'support_ticket_resolved']);
export const SUBSCRIPTION_EVENTS = new Set([
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
]);

/**
 * The rollup steps of the writer, over `counted` and `ins`: daily activity of accounts and
 * users, feature use, support tickets and subscription events. Rows are upserted in key order,
 * so concurrent flushes lock shared rollup rows in the same order and cannot deadlock.
 */
export const ROLLUP_STEPS: WriterStep[] = [
  {
    name: 'account_days',
    target: sql`account_daily (project_id, account_id, day, ${COUNTER_COLUMNS})`,
    rows: sql`
      select account_id, day, ${COUNTERS}
      from counted where account_id is not null
      group by 1, 2`,
    keyOrder: [2, 3],
    onConflict: sql`on conflict (project_id, account_id, day) do update set ${addCounters('account_daily')}`,
  },
  {
    name: 'user_days',
    target: sql`user_daily (project_id, account_id, day, user_id, ${COUNTER_COLUMNS})`,
    rows: sql`
      select coalesce(account_id, '') as account_id, day, user_id, ${COUNTERS}
      from counted where user_id is not null
      group by 1, 2, 3`,
    keyOrder: [2, 3, 4],
    onConflict: sql`on conflict (project_id, account_id, day, user_id) do update set ${addCounters('user_daily')}`,
  },
  {
    name: 'feature_days',
    target: sql`feature_daily (project_id, account_id, feature, day, user_id, uses)`,
    rows: sql`
      select coalesce(account_id, '') as account_id,
        (properties ->> 'feature') collate "C" as feature, day,
        coalesce(user_id, '') as user_id, count(*) as uses
      from counted where event = 'feature_used'
      group by 1, 2, 3, 4`,
    keyOrder: [2, 3, 4, 5],
    onConflict: sql`on conflict (project_id, account_id, feature, day, user_id)
        do update set uses = feature_daily.uses + excluded.uses`,
  },
  {
    name: 'tickets',
    target: sql`support_tickets (project_id, ticket_id, account_id, user_id, priority,
        opened_at, resolved_at, satisfied)`,
    rows: sql`
      select properties ->> 'ticketId' as ticket_id, max(account_id) as account_id,
        max(user_id) as user_id, max(properties ->> 'priority') as priority,
        min(timestamp) filter (where event = 'support_ticket_opened') as opened_at,
        max(timestamp) filter (where event = 'support_ticket_resolved') as resolved_at,
        (array_agg((properties ->> 'satisfied')::boolean order by timestamp desc)
          filter (where event = 'support_ticket_resolved'))[1] as satisfied
      from ins where event in ('support_ticket_opened', 'support_ticket_resolved')
        and type = 'track'
      group by 1`,
    fedBy: (record) => record.type === 'track' && TICKET_EVENTS.has(record.event ?? ''),
    keyOrder: [2],
    onConflict: sql`on conflict (project_id, ticket_id) do update set
        account_id = coalesce(support_tickets.account_id, excluded.account_id),
        user_id = coalesce(support_tickets.user_id, excluded.user_id),
        priority = coalesce(excluded.priority, support_tickets.priority),
        opened_at = least(support_tickets.opened_at, excluded.opened_at),
        satisfied = case when excluded.resolved_at >= coalesce(support_tickets.resolved_at,
          '-infinity') then excluded.satisfied else support_tickets.satisfied end,
        resolved_at = greatest(support_tickets.resolved_at, excluded.resolved_at)`,
  },
  {
    name: 'subscriptions',
    target: sql`subscription_events (project_id, account_id, timestamp, message_id, event,
        plan, mrr, seats, billing_interval, ends_at, reason, feedback)`,
    rows: sql`
      select account_id, timestamp, message_id, event,
        properties ->> 'plan' as plan, (properties ->> 'mrr')::numeric as mrr,
        (properties ->> 'seats')::integer as seats, properties ->> 'interval' as billing_interval,
        (properties ->> 'endsAt')::timestamptz as ends_at,
        properties ->> 'reason' as reason, properties ->> 'feedback' as feedback
      from ins where type = 'track' and account_id is not null and event in
        ('subscription_started', 'subscription_changed', 'subscription_renewed',
         'subscription_cancelled')`,
    fedBy: (record) => record.type === 'track' && SUBSCRIPTION_EVENTS.has(record.event ?? ''),
    keyOrder: [2, 3, 4],
    onConflict: sql`on conflict do nothing`,
  },
];
