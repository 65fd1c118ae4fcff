import type {
  AccountFacets,
  AccountList,
  AccountListItem,
  TierSummary,
} from '../../api/api.types.js';
import { api, type Query } from '../../api/api-client.js';

export interface AccountFilters {
  tier?: string | undefined;
  plan?: string | undefined;
  segment?: string | undefined;
  sort: 'risk' | 'mrr' | 'last_seen';
  q?: string | undefined;
}

export const PAGE_SIZE = 50;

/** One page of `GET /v1/accounts`, searched, filtered and sorted by the server. */
export function fetchAccountPage(filters: AccountFilters, cursor?: string): Promise<AccountList> {
  const query: Query = {
    tier: filters.tier,
    plan: filters.plan,
    segment: filters.segment,
    q: filters.q,
    sort: filters.sort,
    limit: PAGE_SIZE,
    cursor,
  };
  return api.get<AccountList>('/v1/accounts', query);
}

/**
 * The whole book's accounts and MRR by tier (current customers): the summary of a one-account
 * page of the unfiltered list, which the server keeps counted, whatever the number of accounts.
 */
export async function fetchTierSummary(): Promise<TierSummary | null> {
  return (await api.get<AccountList>('/v1/accounts', { limit: 1 })).summary;
}

/** The plans and segments the list can be filtered by, with accounts in each. */
export function fetchFacets(): Promise<AccountFacets> {
  return api.get<AccountFacets>('/v1/account-facets');
}

/** Every account matching the filters, in pages of 500 (the API's largest): the CSV export. */
export async function fetchAllAccounts(filters: AccountFilters): Promise<AccountListItem[]> {
  const accounts: AccountListItem[] = [];
  let cursor: string | undefined;
  do {
    const page: AccountList = await api.get<AccountList>('/v1/accounts', {
      tier: filters.tier,
      plan: filters.plan,
      segment: filters.segment,
      q: filters.q,
      sort: filters.sort,
      limit: 500,
      cursor,
    });
    accounts.push(...page.accounts);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return accounts;
}
