import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.types.js';

/**
 * When each account churned: its `subscription_cancelled` events, and the `churnedAt` trait (or,
 * for a bare `status: 'churned'` trait, the time of the group call that set it). The labels of
 * the model come from here; the features never do.
 */
export async function churnTimes(db: DbOrTx, projectId: string): Promise<Map<string, number[]>> {
  const result = await sql<{ account_id: string; churned_at: Date | string }>`
    select account_id, timestamp as churned_at from subscription_events
    where project_id = ${projectId} and event = 'subscription_cancelled'
    union all
    select account_id,
      coalesce(tenure_timestamptz(traits ->> 'churnedAt'),
        case when traits ->> 'status' = 'churned' then traits_at end) as churned_at
    from accounts
    where project_id = ${projectId}
      and (traits ? 'churnedAt' or traits ->> 'status' = 'churned')
  `.execute(db);
  const times = new Map<string, number[]>();
  for (const row of result.rows) {
    if (row.churned_at === null) continue;
    const time = new Date(row.churned_at).getTime();
    if (Number.isNaN(time)) continue;
    times.set(row.account_id, [...(times.get(row.account_id) ?? []), time]);
  }
  return times;
}

/** Whether an account churned in `(from, from + horizonDays]`. */
export function churnedWithin(times: number[] | undefined, from: Date, horizonDays: number) {
  const start = from.getTime();
  const end = start + horizonDays * 86_400_000;
  return (times ?? []).some((time) => time > start && time <= end);
}
