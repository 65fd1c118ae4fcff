import { sql } from 'kysely';
import type { Db } from '../../db/database.types.js';
import { DAY_MS } from '../../time/utc-day.js';

/**
 * When each account churned, as known at `knownAt`: its `subscription_cancelled` events, and the
 * `churnedAt` trait (or, for a bare `status: 'churned'` trait, the time of the group call that
 * set it) from group calls up to then. The labels of the model come from here; the inputs never
 * do.
 */
export async function churnTimes(
  db: Db,
  projectId: string,
  knownAt: Date,
): Promise<Map<string, number[]>> {
  const at = knownAt.toISOString();
  const result = await sql<{ account_id: string; churned_at: Date | string | null }>`
    select account_id, timestamp as churned_at from subscription_events
    where project_id = ${projectId} and event = 'subscription_cancelled'
      and timestamp <= ${at}::timestamptz
    union all
    select account_id,
      coalesce(tenure_timestamptz(traits ->> 'churnedAt'),
        case when traits ->> 'status' = 'churned' then timestamp end) as churned_at
    from account_trait_changes
    where project_id = ${projectId} and timestamp <= ${at}::timestamptz
      and (traits ? 'churnedAt' or traits ->> 'status' = 'churned')
  `.execute(db);
  const times = new Map<string, number[]>();
  for (const row of result.rows) {
    if (row.churned_at === null) continue;
    const time = new Date(row.churned_at).getTime();
    if (Number.isNaN(time) || time > knownAt.getTime()) continue;
    times.set(row.account_id, [...(times.get(row.account_id) ?? []), time]);
  }
  return times;
}

/** Whether an account churned in `(from, from + horizonDays]`. */
export function churnedWithin(times: number[] | undefined, from: Date, horizonDays: number) {
  const start = from.getTime();
  const end = start + horizonDays * DAY_MS;
  return (times ?? []).some((time) => time > start && time <= end);
}
