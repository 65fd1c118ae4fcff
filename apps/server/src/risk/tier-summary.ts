import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { RISK_TIERS, type RiskTier } from './risk.types.js';
import { readTierCounts } from './score-tier-counts.sql.js';
import { filterCondition, type StoredListFilters } from './stored-account-list.sql.js';

/** Accounts and their MRR per tier: the list's header. */
export interface TierSummary {
  accounts: number;
  mrr: number;
  tiers: Record<RiskTier, { accounts: number; mrr: number }>;
}

/** An empty summary, to add accounts to. */
export function emptyTierSummary(): TierSummary {
  const tiers = Object.fromEntries(RISK_TIERS.map((tier) => [tier, { accounts: 0, mrr: 0 }]));
  return { accounts: 0, mrr: 0, tiers: tiers as TierSummary['tiers'] };
}

/** Counts an account into a summary. */
export function addToSummary(summary: TierSummary, tier: RiskTier, mrr: number | null): void {
  summary.accounts += 1;
  summary.mrr += mrr ?? 0;
  summary.tiers[tier].accounts += 1;
  summary.tiers[tier].mrr += mrr ?? 0;
}

/**
 * Counts and MRR by tier of the stored scores, under the list's filters except `tier` (the
 * header shows every tier of the accounts the other filters select). Without a plan, segment or
 * search they are the counts kept with the scores (a few rows, whatever the accounts); with
 * one, a count of the matching rows. MRR is summed as `numeric` either way, so both agree.
 */
export async function storedTierSummary(
  db: Db,
  projectId: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  filters: StoredListFilters,
  day: string,
): Promise<TierSummary> {
  const rows =
    filters.plan === undefined && filters.segment === undefined && filters.search === undefined
      ? await readTierCounts(db, projectId, filters.status)
      : (
          await sql<{ tier: RiskTier; accounts: number; mrr: number | null }>`
            select s.tier, count(*)::int as accounts, sum(s.mrr::numeric) as mrr
            from account_scores s
            where s.project_id = ${projectId} and ${filterCondition(filters, settings, day, false)}
            group by s.tier
          `.execute(db)
        ).rows;
  const summary = emptyTierSummary();
  for (const row of rows) {
    const tier = summary.tiers[row.tier];
    if (!tier) continue;
    tier.accounts = row.accounts;
    tier.mrr = row.mrr ?? 0;
    summary.accounts += row.accounts;
    summary.mrr += row.mrr ?? 0;
  }
  return summary;
}
