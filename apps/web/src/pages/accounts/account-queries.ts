import type { AccountList, AccountListItem } from '../../api/api.types.js';
import { api, type Query } from '../../api/api-client.js';

export interface AccountFilters {
  tier?: string;
  plan?: string;
  segment?: string;
  sort: 'risk' | 'mrr' | 'last_seen';
  q?: string;
}

export const PAGE_SIZE = 50;

/** One page of `GET /v1/accounts`, filtered and sorted by the server. */
export function fetchAccountPage(filters: AccountFilters, cursor?: string): Promise<AccountList> {
  const query: Query = {
    tier: filters.tier,
    plan: filters.plan,
    segment: filters.segment,
    sort: filters.sort,
    limit: PAGE_SIZE,
    cursor,
  };
  return api.get<AccountList>('/v1/accounts', query);
}

/**
 * Every account matching the filters, in pages of 500 (the API's largest): for the revenue
 * summary, the CSV export and the name search. Later pages reuse the first page's scoring on
 * the server (the cursor carries its asOf), so this is one scoring pass plus JSON.
 */
export async function fetchAllAccounts(
  filters: Omit<AccountFilters, 'q'>,
): Promise<AccountListItem[]> {
  const accounts: AccountListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<AccountList>('/v1/accounts', {
      tier: filters.tier,
      plan: filters.plan,
      segment: filters.segment,
      sort: filters.sort,
      limit: 500,
      cursor,
    });
    accounts.push(...page.accounts);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return accounts;
}

/** Case- and accent-insensitive match on the account's name or id. */
export function matchesSearch(account: AccountListItem, search: string): boolean {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const needle = fold(search.trim());
  return fold(account.name ?? '').includes(needle) || fold(account.accountId).includes(needle);
}
