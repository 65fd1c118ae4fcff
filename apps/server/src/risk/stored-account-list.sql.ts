import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import type { TodayActivity } from './account-features.types.js';
import type { AccountSort, PagePosition } from './account-list.js';
import type { RiskFactor, RiskTier, RiskTrend } from './risk.types.js';
import { segmentPredicate } from './segment-predicate.js';

export type AccountStatus = 'active' | 'churned' | 'all';

export interface StoredListFilters {
  tiers?: RiskTier[] | undefined;
  plan?: string | undefined;
  segment?: string | undefined;
  /** Name or id contains this, ignoring case. */
  search?: string | undefined;
  status: AccountStatus;
}

export interface StoredAccount {
  accountId: string;
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  startDay: string;
  lastSeenDay: string | null;
  churnedAt: string | null;
  score: number;
  tier: RiskTier;
  churnProbability: number | null;
  topFactors: RiskFactor[];
  trend: RiskTrend;
  scoredAt: string;
  /** The day's activity the top factors' messages were written with (list-today.ts). */
  today: TodayActivity | null;
}

interface Row {
  account_id: string;
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  start_day: string;
  last_seen_day: string | null;
  churned_at: Date | string | null;
  score: number;
  tier: RiskTier;
  churn_probability: number | null;
  top_factors: RiskFactor[];
  trend: RiskTrend;
  scored_at: Date | string;
  today: TodayActivity | null;
}

/**
 * Sort column, its SQL type (for the keyset condition) and whether it can be null. Each order
 * must be exactly its index's: `account_scores_by_risk` is on `score desc`, which means nulls
 * first, so ordering the never-null score `desc nulls last` made Postgres sort every row of
 * the project instead of reading 51 index entries (96 ms against 0.5 ms at 100,000 accounts).
 */
const SORTS: Record<AccountSort, { column: string; type: string; nullable: boolean }> = {
  risk: { column: 's.score', type: 'integer', nullable: false },
  mrr: { column: 's.mrr', type: 'double precision', nullable: true },
  last_seen: { column: 's.last_seen_day', type: 'date', nullable: true },
};

/** The filters as one condition on `account_scores s` (tiers only when `withTiers`). */
export function filterCondition(
  filters: StoredListFilters,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  day: string,
  withTiers: boolean,
): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (filters.status === 'active') parts.push(sql`s.churned_at is null`);
  if (filters.status === 'churned') parts.push(sql`s.churned_at is not null`);
  if (withTiers && filters.tiers) parts.push(sql`s.tier = any(${filters.tiers}::text[])`);
  if (filters.plan !== undefined) parts.push(sql`s.plan = ${filters.plan}`);
  if (filters.segment !== undefined) parts.push(segmentPredicate(filters.segment, settings, day));
  if (filters.search !== undefined) parts.push(searchCondition(filters.search));
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}

/**
 * Name or id contains `search`, ignoring case. `strpos` rather than `ilike` so that `%` and `_`
 * in the search are plain characters. The id column is collated "C", under which `lower` folds
 * ASCII letters only: it is compared under the database's default collation, as the name is.
 * Not indexed (a substring needs trigrams, an extension PGlite does not ship): a search reads
 * the project's rows, 4–5 ms at 10,000 accounts on Postgres 15 (docs/benchmarks.md).
 */
function searchCondition(search: string): RawBuilder<unknown> {
  const needle = sql`lower(${search}::text)`;
  return sql`(strpos(lower(s.name), ${needle}) > 0
    or strpos(lower(s.account_id collate "default"), ${needle}) > 0)`;
}

/**
 * Keyset condition "after `after` in (key desc nulls last, account id asc)" written so that
 * the planner reads it as an index range: `key <= k` bounds the scan, the rest trims ties.
 */
function afterCondition(sort: AccountSort, after: PagePosition | undefined): RawBuilder<unknown> {
  if (!after) return sql`true`;
  const { column, type, nullable } = SORTS[sort];
  const key = sql.ref(column);
  if (after.key === null) return sql`${key} is null and s.account_id > ${after.id}`;
  const value = sql`${after.key}::${sql.raw(type)}`;
  const range = sql`${key} <= ${value} and (${key} < ${value} or s.account_id > ${after.id})`;
  return nullable ? sql`(${range} or ${key} is null)` : range;
}

/** The order of a sort, as its index has it. */
function orderOf(sort: AccountSort): RawBuilder<unknown> {
  const { column, nullable } = SORTS[sort];
  const key = sql.ref(column);
  return nullable ? sql`${key} desc nulls last, s.account_id` : sql`${key} desc, s.account_id`;
}

export interface StoredListQuery {
  sort: AccountSort;
  filters: StoredListFilters;
  day: string;
  limit: number;
  after?: PagePosition | undefined;
}

/** The page statement (exported for EXPLAIN in tests): `limit + 1` rows, to tell if more follow. */
export function storedListStatement(
  projectId: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  options: StoredListQuery,
) {
  return sql<Row>`
    select s.account_id, s.name, s.plan, s.mrr, s.seats, s.start_day::text as start_day,
      s.last_seen_day::text as last_seen_day, s.churned_at, s.score, s.tier,
      s.churn_probability, s.top_factors, s.trend, s.scored_at, s.features -> 'today' as today
    from account_scores s
    where s.project_id = ${projectId}
      and ${filterCondition(options.filters, settings, options.day, true)}
      and ${afterCondition(options.sort, options.after)}
    order by ${orderOf(options.sort)}
    limit ${options.limit + 1}
  `;
}

/**
 * One page of the stored list: filtered, sorted descending (missing values last, then by
 * account id), `limit` rows after `after`. One index range per sort, so a page costs about the
 * same at 1,000 accounts and at 100,000.
 */
export async function storedListPage(
  db: Db,
  projectId: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  options: StoredListQuery,
): Promise<{ accounts: StoredAccount[]; hasMore: boolean }> {
  const result = await storedListStatement(projectId, settings, options).execute(db);
  return {
    accounts: result.rows.slice(0, options.limit).map(toStoredAccount),
    hasMore: result.rows.length > options.limit,
  };
}

function toStoredAccount(row: Row): StoredAccount {
  return {
    accountId: row.account_id,
    name: row.name,
    plan: row.plan,
    mrr: row.mrr,
    seats: row.seats,
    startDay: row.start_day,
    lastSeenDay: row.last_seen_day,
    churnedAt: row.churned_at === null ? null : new Date(row.churned_at).toISOString(),
    score: row.score,
    tier: row.tier,
    churnProbability: row.churn_probability,
    topFactors: row.top_factors,
    trend: row.trend,
    scoredAt: new Date(row.scored_at).toISOString(),
    today: row.today,
  };
}
