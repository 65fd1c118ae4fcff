import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { RiskTier } from './risk.types.js';
import type { AccountStatus } from './stored-account-list.sql.js';

/** What an account_scores row adds to its project's counts. */
export interface TierCountedRow {
  tier: string;
  churned: boolean;
  mrr: number | null;
}

/**
 * Applies to account_score_tiers what replacing rows `before` by rows `after` changes, in one
 * statement. Call it in the transaction that writes the rows, after taking the project's scores
 * lock, so that two writers never count the same change. MRRs go to Postgres as float8 and are
 * summed as `numeric` there, as the migration's first count did: removing an account's MRR
 * subtracts exactly what adding it added. Counts change in (churned, tier) order in every
 * writer, so writers cannot deadlock on them.
 */
export async function applyTierChanges(
  db: Db,
  projectId: string,
  before: TierCountedRow[],
  after: TierCountedRow[],
): Promise<void> {
  const rows = [
    ...before.map((row) => ({ ...row, sign: -1 })),
    ...after.map((row) => ({ ...row, sign: 1 })),
  ];
  if (rows.length === 0) return;
  await sql`
    insert into account_score_tiers as t (project_id, churned, tier, accounts, mrr)
    select ${projectId}, churned, tier, accounts, mrr
    from (
      select churned, tier, sum(sign)::int as accounts,
        coalesce(sum(sign * mrr::numeric), 0) as mrr
      from unnest(${rows.map((r) => r.churned)}::boolean[], ${rows.map((r) => r.tier)}::text[],
        ${rows.map((r) => r.sign)}::int[], ${rows.map((r) => r.mrr)}::float8[])
        as r(churned, tier, sign, mrr)
      group by churned, tier
      order by churned, tier
    ) changes
    where accounts <> 0 or mrr <> 0
    on conflict (project_id, churned, tier) do update
      set accounts = t.accounts + excluded.accounts, mrr = t.mrr + excluded.mrr
  `.execute(db);
}

/** Accounts and MRR per tier of the project's stored scores, from the kept counts. */
export async function readTierCounts(
  db: Db,
  projectId: string,
  status: AccountStatus,
): Promise<Array<{ tier: RiskTier; accounts: number; mrr: number }>> {
  const churned = status === 'all' ? [false, true] : [status === 'churned'];
  const result = await sql<{ tier: RiskTier; accounts: number; mrr: number }>`
    select tier, sum(accounts)::int as accounts, sum(mrr) as mrr
    from account_score_tiers
    where project_id = ${projectId} and churned = any(${churned}::boolean[])
    group by tier
  `.execute(db);
  return result.rows;
}
