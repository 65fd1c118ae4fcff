import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import {
  type AccountSort,
  comparePositions,
  type ListFilters,
  listPage,
  type PagePosition,
  sortKeyOf,
} from './account-list.js';
import { type ScoredAccount, scoreProject } from './score-accounts.js';
import type { AccountStatus } from './stored-account-list.sql.js';
import { addToSummary, emptyTierSummary, type TierSummary } from './tier-summary.js';

/** Accounts scored per statement: bounds the memory of an `asOf` list whatever the project's size. */
const SLICE = 1_000;
/** Slices read at once: a pool of connections reads them on several cores (PGlite in turn). */
const PARALLEL_SLICES = 4;

/**
 * One page of the list as of a past time, computed from point-in-time data: the project's
 * accounts are scored in slices of SLICE, PARALLEL_SLICES at a time (through the scoring entry
 * point), and only the best `limit + 1` after the cursor are kept between slices, with the tier
 * counts. Memory is four slices plus one page; time grows with the number of accounts (every
 * page re-reads them all).
 */
export async function listAsOf(
  db: Db,
  projectId: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  options: {
    asOf: Date;
    sort: AccountSort;
    filters: ListFilters;
    status: AccountStatus;
    limit: number;
    after?: PagePosition | undefined;
  },
): Promise<{
  accounts: ScoredAccount[];
  last: PagePosition | null;
  hasMore: boolean;
  summary: TierSummary;
}> {
  const { asOf, sort, filters, status, limit } = options;
  const accounts = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('project_id', '=', projectId)
    .where('first_seen', '<=', asOf)
    .orderBy('account_id')
    .execute();
  const ids = accounts.map((account) => account.account_id);
  let best: ScoredAccount[] = [];
  const summary = emptyTierSummary();
  const slices: string[][] = [];
  for (let start = 0; start < ids.length; start += SLICE)
    slices.push(ids.slice(start, start + SLICE));
  for (let next = 0; next < slices.length; next += PARALLEL_SLICES) {
    const scoredSlices = await Promise.all(
      slices.slice(next, next + PARALLEL_SLICES).map(async (accountIds) => {
        const { scored } = await scoreProject(db, projectId, {
          asOf,
          accountIds,
          includeChurned: status !== 'active',
        });
        return status === 'churned' ? scored.filter((a) => a.features.churnedAt !== null) : scored;
      }),
    );
    for (const candidates of scoredSlices) {
      const { tiers, ...others } = filters;
      for (const account of listPage(candidates, settings, {
        sort,
        filters: others,
        limit: candidates.length,
      }).accounts) {
        addToSummary(summary, account.risk.tier, account.features.mrr);
      }
      const page = listPage(candidates, settings, {
        sort,
        filters,
        limit: limit + 1,
        ...(options.after ? { after: options.after } : {}),
      });
      best = [...best, ...page.accounts]
        .map((account) => ({
          account,
          position: { key: sortKeyOf(account, sort), id: account.features.accountId },
        }))
        .sort((a, b) => comparePositions(a.position, b.position))
        .slice(0, limit + 1)
        .map((entry) => entry.account);
    }
  }
  const pageAccounts = best.slice(0, limit);
  const lastAccount = pageAccounts[pageAccounts.length - 1];
  return {
    accounts: pageAccounts,
    last: lastAccount
      ? { key: sortKeyOf(lastAccount, sort), id: lastAccount.features.accountId }
      : null,
    hasMore: best.length > limit,
    summary,
  };
}
