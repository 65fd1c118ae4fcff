import { sql } from 'kysely';
import { addCounters, COUNTER_COLUMNS, COUNTERS } from './activity-counters.sql.js';
import type { StepRow, WriterStep } from './writer-step.sql.js';

const COUNTED_TYPES = new Set(['track', 'page', 'screen']);
const counted = (row: StepRow) => COUNTED_TYPES.has(row.type);

/** `counted`: the events of `ins` (the new events, never a duplicate) the daily rollups count. */
export const COUNTED = sql`
    counted as (
      select account_id, user_id, event, type, properties,
        (timestamp at time zone 'UTC')::date as day
      from ins where type in ('track', 'page', 'screen')
    )`;

const TICKET_EVENTS = ['support_ticket_opened', 'support_ticket_resolved'];
const SUBSCRIPTION_EVENTS = [
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
];

/**
 * The rollup steps of the writer, over `counted` and `ins`: daily activity of accounts and
 * users, feature use, support tickets and subscription events. Rows are upserted in key order,
 * so concurrent flushes lock shared rollup rows in the same order and cannot deadlock.
 */
export const ROLLUP_STEPS: WriterStep[] = [
  {
    name: 'account_days',
    reads: 'counted',
    target: sql`account_daily (project_id, account_id, day, ${COUNTER_COLUMNS})`,
    rows: sql`
      select account_id, day, ${COUNTERS}
      from counted where account_id is not null
      group by 1, 2`,
    tail: sql`order by 2, 3
      on conflict (project_id, account_id, day) do update set ${addCounters('account_daily')}`,
    mayInsert: (rows) => rows.some((row) => counted(row) && row.account_id !== null),
  },
  {
    name: 'user_days',
    reads: 'counted',
    target: sql`user_daily (project_id, account_id, day, user_id, ${COUNTER_COLUMNS})`,
    rows: sql`
      select coalesce(account_id, '') as account_id, day, user_id, ${COUNTERS}
      from counted where user_id is not null
      group by 1, 2, 3`,
    tail: sql`order by 2, 3, 4
      on conflict (project_id, account_id, day, user_id) do update set ${addCounters('user_daily')}`,
    mayInsert: (rows) => rows.some((row) => counted(row) && row.user_id !== null),
  },
  {
    name: 'feature_days',
    reads: 'counted',
    target: sql`feature_daily (project_id, account_id, feature, day, user_id, uses)`,
    rows: sql`
      select coalesce(account_id, '') as account_id,
        (properties ->> 'feature') collate "C" as feature, day,
        coalesce(user_id, '') as user_id, count(*) as uses
      from counted where event = 'feature_used'
      group by 1, 2, 3, 4`,
    tail: sql`order by 2, 3, 4, 5
      on conflict (project_id, account_id, feature, day, user_id)
        do update set uses = feature_daily.uses + excluded.uses`,
    mayInsert: (rows) => rows.some((row) => counted(row) && row.event === 'feature_used'),
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
    tail: sql`order by 2
      on conflict (project_id, ticket_id) do update set
        account_id = coalesce(support_tickets.account_id, excluded.account_id),
        user_id = coalesce(support_tickets.user_id, excluded.user_id),
        priority = coalesce(excluded.priority, support_tickets.priority),
        opened_at = least(support_tickets.opened_at, excluded.opened_at),
        satisfied = case when excluded.resolved_at >= coalesce(support_tickets.resolved_at,
          '-infinity') then excluded.satisfied else support_tickets.satisfied end,
        resolved_at = greatest(support_tickets.resolved_at, excluded.resolved_at)`,
    mayInsert: (rows) =>
      rows.some((row) => row.type === 'track' && TICKET_EVENTS.includes(row.event ?? '')),
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
    tail: sql`order by 2, 3, 4 on conflict do nothing`,
    mayInsert: (rows) =>
      rows.some(
        (row) =>
          row.type === 'track' &&
          row.account_id !== null &&
          SUBSCRIPTION_EVENTS.includes(row.event ?? ''),
      ),
  },
];
