import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { accountsAsOf } from '../time/accounts-as-of.sql.js';
import {
  type SubscriptionEventRow,
  type SubscriptionSpan,
  subscriptionSpans,
} from './subscription-history.js';

interface Row {
  account_id: string;
  at: Date | string;
  event: string;
  plan: string | null;
  mrr: number | null;
  billing_interval: string | null;
  ends_at: Date | string | null;
  reason: string | null;
}

const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());
const interval = (value: string | null) => (value === 'year' || value === 'month' ? value : null);

/**
 * The project's subscription spans as of `asOf`, from the subscription events stored by then;
 * a history that begins after the account's creation (an existing customer's first event is a
 * renewal) starts at the creation (`createdAt` trait, else first seen).
 * Accounts that never sent one but carry `plan` or `mrr` traits count as customers from their
 * `createdAt` trait (else first seen) until a `churnedAt` trait, at their traits as of `asOf`
 * (a later group call that sets a plan does not make an account a customer in the past).
 */
export async function loadSubscriptionSpans(
  db: Db,
  projectId: string,
  asOf: Date,
): Promise<SubscriptionSpan[]> {
  const until = asOf.toISOString();
  const result = await sql<Row>`
    select account_id, timestamp as at, event, plan, mrr, billing_interval, ends_at, reason
    from subscription_events
    where project_id = ${projectId} and timestamp <= ${until}::timestamptz
    union all
    select a.account_id, t.start_at, e.event, a.plan, a.mrr, a.traits ->> 'interval',
      tenure_timestamptz(a.traits ->> 'churnedAt'), null
    from ${accountsAsOf(projectId, asOf)} a
    cross join lateral (
      select coalesce(tenure_timestamptz(a.traits ->> 'createdAt'), a.first_seen) as start_at
    ) t
    cross join lateral (values ('subscription_started', 0), ('subscription_cancelled', 1))
      as e(event, position)
    where (a.plan is not null or a.mrr is not null)
      and t.start_at <= ${until}::timestamptz
      and (e.position = 0 or tenure_timestamptz(a.traits ->> 'churnedAt') <= ${until}::timestamptz)
      and not exists (
        select 1 from subscription_events s
        where s.project_id = ${projectId} and s.account_id = a.account_id)
    order by 1, 2, 3 desc
  `.execute(db);
  const created = await sql<{ account_id: string; since: Date | string; plan: string | null }>`
    select account_id, plan,
      least(coalesce(tenure_timestamptz(traits ->> 'createdAt'), first_seen), first_seen) as since
    from ${accountsAsOf(projectId, asOf)} a
    where exists (select 1 from subscription_events s
        where s.project_id = ${projectId} and s.account_id = a.account_id)
  `.execute(db);
  const known = new Map(
    created.rows.map((row) => [row.account_id, { since: ms(row.since)!, plan: row.plan }]),
  );
  const events: SubscriptionEventRow[] = result.rows.map((row) => ({
    accountId: row.account_id,
    at: ms(row.at)!,
    event: row.event,
    plan: row.plan,
    mrr: row.mrr === null ? null : Number(row.mrr),
    interval: interval(row.billing_interval),
    endsAt: ms(row.ends_at),
    reason: row.reason,
  }));
  return subscriptionSpans(events, asOf.getTime(), known);
}
