import type { ProjectSettings } from '../settings/project-settings.js';
import { segmentsOf } from './account-segments.js';
import type { RiskTier } from './risk.types.js';
import type { ScoredAccount } from './score-accounts.js';

export type AccountSort = 'risk' | 'mrr' | 'last_seen';

export interface ListFilters {
  tiers?: RiskTier[] | undefined;
  plan?: string | undefined;
  segment?: string | undefined;
  /** Name or id contains this, ignoring case. */
  search?: string | undefined;
}

export interface PagePosition {
  key: number | string | null;
  id: string;
}

/** Whether the account's name or id contains `search`, ignoring case (as the stored list does). */
export function matchesSearch(account: ScoredAccount, search: string): boolean {
  const needle = search.toLowerCase();
  return (
    (account.features.name ?? '').toLowerCase().includes(needle) ||
    account.features.accountId.toLowerCase().includes(needle)
  );
}

/** The value an account sorts by (always descending, missing values last). */
export function sortKeyOf(account: ScoredAccount, sort: AccountSort): number | string | null {
  if (sort === 'risk') return account.risk.score;
  if (sort === 'mrr') return account.features.mrr;
  return account.features.lastSeenDay;
}

/** Total order: key descending, missing keys last, then account id ascending. */
export function comparePositions(a: PagePosition, b: PagePosition): number {
  if (a.key !== b.key) {
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return a.key > b.key ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One page of the account list: filter, sort, then the `limit` accounts after `after` (keyset
 * pagination, so walking the cursor returns every account exactly once).
 *
 * @example
 * const page = listPage(scored, settings, { sort: 'risk', filters: {}, limit: 50 });
 */
export function listPage(
  scored: ScoredAccount[],
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  options: {
    sort: AccountSort;
    filters: ListFilters;
    limit: number;
    after?: PagePosition | undefined;
  },
): { accounts: ScoredAccount[]; last: PagePosition | null; hasMore: boolean } {
  const { filters, sort } = options;
  const matching = scored.filter(
    (account) =>
      (!filters.tiers || filters.tiers.includes(account.risk.tier)) &&
      (filters.plan === undefined || account.features.plan === filters.plan) &&
      (filters.segment === undefined ||
        segmentsOf(account.features, settings).includes(filters.segment)) &&
      (filters.search === undefined || matchesSearch(account, filters.search)),
  );
  const positioned = matching.map((account) => ({
    account,
    position: { key: sortKeyOf(account, sort), id: account.features.accountId },
  }));
  positioned.sort((a, b) => comparePositions(a.position, b.position));
  const after = options.after;
  const start = after
    ? positioned.findIndex((entry) => comparePositions(entry.position, after) > 0)
    : 0;
  const page = start < 0 ? [] : positioned.slice(start, start + options.limit);
  const lastEntry = page[page.length - 1];
  return {
    accounts: page.map((entry) => entry.account),
    last: lastEntry ? lastEntry.position : null,
    hasMore: start >= 0 && start + options.limit < positioned.length,
  };
}
