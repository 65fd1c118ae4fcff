import type { AccountList, AccountListItem } from '../../api/api.types.js';
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
 * Every account matching the filters, in pages of 500 (the API's largest): for the revenue
 * summary, the filter choices and the CSV export. Given a page already shown (of the same
 * filters and sort), it carries on from that page's cursor: the server still holds that
 * listing's scoring for a minute, so the rest are slices of it, not a second scoring of the
 * whole project competing with the list (or with the account page a click later).
 */
export async function fetchAllAccounts(
  filters: AccountFilters,
  shown?: AccountList,
): Promise<AccountListItem[]> {
  const accounts: AccountListItem[] = [...(shown?.accounts ?? [])];
  let cursor: string | undefined = shown ? (shown.nextCursor ?? undefined) : undefined;
  if (shown && !cursor) return accounts;
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
