import type { ProjectSettings } from '../settings/project-settings.js';
import type { AccountListItem } from './account-list.schemas.js';
import { segmentsOf } from './account-segments.js';
import { TOP_FACTORS, tenureDaysOn } from './current-scores.sql.js';
import type { ScoredAccount } from './score-accounts.js';
import type { StoredAccount } from './stored-account-list.sql.js';

type Settings = Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>;

/** A list item from an account scored on demand (`asOf` lists). */
export function scoredItem({ features, risk }: ScoredAccount, settings: Settings): AccountListItem {
  return {
    accountId: features.accountId,
    name: features.name,
    plan: features.plan,
    mrr: features.mrr,
    seats: features.seats,
    lastSeen: features.lastSeenDay,
    tenureDays: features.tenureDays,
    segments: segmentsOf(features, settings),
    score: risk.score,
    tier: risk.tier,
    churnProbability: risk.churnProbability,
    trend: risk.trend,
    topFactors: risk.factors.filter((factor) => factor.contribution > 0).slice(0, TOP_FACTORS),
    churnedAt: features.churnedAt,
    scoredAt: risk.asOf,
  };
}

/** A list item from a stored score; tenure and segments are counted on `day`. */
export function storedItem(
  account: StoredAccount,
  settings: Settings,
  day: string,
): AccountListItem {
  const tenureDays = tenureDaysOn(account.startDay, day);
  return {
    accountId: account.accountId,
    name: account.name,
    plan: account.plan,
    mrr: account.mrr,
    seats: account.seats,
    lastSeen: account.lastSeenDay,
    tenureDays,
    segments: segmentsOf({ tenureDays, mrr: account.mrr }, settings),
    score: account.score,
    tier: account.tier,
    churnProbability: account.churnProbability,
    trend: account.trend,
    topFactors: account.topFactors,
    churnedAt: account.churnedAt,
    scoredAt: account.scoredAt,
  };
}
