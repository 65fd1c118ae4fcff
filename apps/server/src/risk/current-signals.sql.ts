import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import {
  type TermsRow,
  type TicketRow,
  type TodayRow,
  termsOf,
  ticketProbe,
  ticketsOf,
  todayOf,
  todayProbes,
} from './account-features.sql.js';
import type { AccountTerms, AccountTickets, TodayActivity } from './account-features.types.js';
import { accountsWithTerms, termColumns } from './account-terms.sql.js';

/** What of an account's features can change within its day (account-features.types.ts). */
export interface CurrentSignals extends AccountTerms, AccountTickets {
  today: TodayActivity;
}

/**
 * The accounts' signals that move within a day, as of `asOf`, read as the feature statement
 * reads them (its terms, ticket and today probes): with the features of complete days kept
 * from a scoring earlier that day, they make the features a scoring now would read, at a
 * fraction of the probes. Accounts first seen after `asOf` are left out.
 */
export async function currentSignals(
  db: Db,
  projectId: string,
  query: { asOf: Date; accountIds: string[]; keyFeatures: string[] },
): Promise<Map<string, CurrentSignals>> {
  const { asOf, accountIds, keyFeatures } = query;
  if (accountIds.length === 0) return new Map();
  const day = utcDay(asOf);
  const existedThen = sql`and a.first_seen <= ${asOf.toISOString()}::timestamptz
    and a.account_id = any(${accountIds}::text[])`;
  const { rows } = await sql<TermsRow & TicketRow & TodayRow & { account_id: string }>`
    select acct.account_id, acct.name, ${termColumns(asOf)}, tickets.*,
      today.*, key_today.key_used_today
    from ${accountsWithTerms(projectId, asOf, existedThen)}
    ${ticketProbe(projectId, asOf)}
    ${todayProbes(projectId, asOf, keyFeatures)}
  `.execute(db);
  return new Map(
    rows.map((row) => [
      row.account_id,
      { ...termsOf(row, day), ...ticketsOf(row), today: todayOf(row) },
    ]),
  );
}

/**
 * The accounts' activity on `asOf`'s day only, as the feature statement reads it (`today` of
 * `AccountFeatures`: none for a past `asOf`), with the same two key probes an account: the
 * signals that move when an account's day brought activity alone.
 */
export async function todayActivity(
  db: Db,
  projectId: string,
  query: { asOf: Date; accountIds: string[]; keyFeatures: string[] },
): Promise<Map<string, TodayActivity>> {
  const { asOf, accountIds, keyFeatures } = query;
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<TodayRow & { account_id: string }>`
    select acct.account_id, today.*, key_today.key_used_today
    from accounts acct
    ${todayProbes(projectId, asOf, keyFeatures)}
    where acct.project_id = ${projectId} and acct.account_id = any(${accountIds}::text[])
  `.execute(db);
  return new Map(rows.map((row) => [row.account_id, todayOf(row)]));
}
