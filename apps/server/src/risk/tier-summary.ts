import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { RISK_TIERS, type RiskTier } from './risk.types.js';
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
 * header shows every tier of the accounts the other filters select).
 */
export async function storedTierSummary(
  db: Db,
  projectId: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  filters: StoredListFilters,
  day: string,
): Promise<TierSummary> {
  const result = await sql<{ tier: RiskTier; accounts: number; mrr: number | null }>`
    select s.tier, count(*)::int as accounts, sum(s.mrr) as mrr
    from account_scores s
    where s.project_id = ${projectId} and ${filterCondition(filters, settings, day, false)}
    group by s.tier
  `.execute(db);
  const summary = emptyTierSummary();
  for (const row of result.rows) {
    const tier = summary.tiers[row.tier];
    if (!tier) continue;
    tier.accounts = row.accounts;
    tier.mrr = row.mrr ?? 0;
    summary.accounts += row.accounts;
    summary.mrr += row.mrr ?? 0;
  }
  return summary;
}
