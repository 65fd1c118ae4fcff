import { type Insertable, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { AccountScoresTable } from '../db/tables/account-scores.table.js';
import { addDays, daysBetween, utcDay } from '../time/utc-day.js';
import type { AccountFeatures } from './account-features.types.js';
import type { AccountRisk } from './risk.types.js';
import type { ScoredAccount } from './score-accounts.js';
import { applyTierChanges } from './score-tier-counts.sql.js';

/** Factors shown with each list item (the biggest positive contributions). */
export const TOP_FACTORS = 3;

/**
 * Stores the current scores of some accounts, replacing their previous rows, and changes the
 * project's counts by tier to match, in one transaction. `scored` comes from the scoring entry
 * point (score-accounts.ts), so what is stored is what the model said.
 */
export async function storeCurrentScores(
  db: Db,
  projectId: string,
  scored: ScoredAccount[],
  basis: string,
): Promise<void> {
  if (scored.length === 0) return;
  const rows = scored.map(({ features, risk }) => ({
    project_id: projectId,
    ...scoreColumns(features, risk),
    model: risk.model,
    basis,
  }));
  const write = async (tx: Db) => {
    // One writer of a project's scores at a time (keepers of several processes): the counts
    // are changed by what this writer read as the previous rows.
    await sql`select pg_advisory_xact_lock(hashtext(${`tenure-scores:${projectId}`}))`.execute(tx);
    const before = await tx
      .selectFrom('account_scores')
      .select(['tier', 'churned_at', 'mrr'])
      .where('project_id', '=', projectId)
      .where(
        'account_id',
        'in',
        rows.map((row) => row.account_id),
      )
      .execute();
    await upsertScores(tx, rows);
    await applyTierChanges(
      tx,
      projectId,
      before.map((row) => ({ tier: row.tier, churned: row.churned_at !== null, mrr: row.mrr })),
      rows.map((row) => ({ tier: row.tier, churned: row.churned_at !== null, mrr: row.mrr })),
    );
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

/** The columns of an account's row that its scoring decides. */
function scoreColumns(features: AccountFeatures, risk: AccountRisk) {
  return {
    account_id: features.accountId,
    name: features.name,
    plan: features.plan,
    mrr: features.mrr,
    seats: features.seats,
    start_day: addDays(utcDay(new Date(risk.asOf)), -features.tenureDays),
    last_seen_day: features.lastSeenDay,
    churned_at: features.churnedAt,
    score: risk.score,
    tier: risk.tier,
    churn_probability: risk.churnProbability,
    top_factors: JSON.stringify(topFactors(risk)),
    trend: JSON.stringify(risk.trend),
    features: JSON.stringify(features),
    scored_at: risk.asOf,
  };
}

/** The factors a row keeps: the biggest positive contributions. */
export function topFactors(risk: AccountRisk) {
  return risk.factors.filter((factor) => factor.contribution > 0).slice(0, TOP_FACTORS);
}

/**
 * Rewrites kept rows in full where their tier, churn and MRR, which the counts by tier add up,
 * stand: one update, no lock, the counts untouched. A row whose tier, churn or MRR another
 * writer changed since it was read is left as it is; returns the accounts written, so that the
 * caller can store the others through `storeCurrentScores`.
 */
export async function storeScoredRows(
  db: Db,
  projectId: string,
  scored: ScoredAccount[],
): Promise<Set<string>> {
  if (scored.length === 0) return new Set();
  const values = scored.map(({ features, risk }) => {
    const row = scoreColumns(features, risk);
    return sql`(${row.account_id}, ${row.name}, ${row.plan}, ${row.mrr}::float8,
      ${row.seats}::int, ${row.start_day}::date, ${row.last_seen_day}::date,
      ${row.churned_at}::timestamptz, ${row.score}::smallint, ${row.tier},
      ${row.churn_probability}::float8, ${row.top_factors}::jsonb, ${row.trend}::jsonb,
      ${row.features}::jsonb, ${row.scored_at}::timestamptz)`;
  });
  const { rows } = await sql<{ account_id: string }>`
    update account_scores s
    set name = v.name, plan = v.plan, seats = v.seats, start_day = v.start_day,
      last_seen_day = v.last_seen_day, churned_at = v.churned_at, score = v.score,
      churn_probability = v.churn_probability, top_factors = v.top_factors, trend = v.trend,
      features = v.features, scored_at = v.scored_at
    from (values ${sql.join(values)}) as v(account_id, name, plan, mrr, seats, start_day,
      last_seen_day, churned_at, score, tier, churn_probability, top_factors, trend, features,
      scored_at)
    where s.project_id = ${projectId} and s.account_id = v.account_id
      and s.tier = v.tier and s.mrr is not distinct from v.mrr
      and (s.churned_at is null) = (v.churned_at is null)
    returning s.account_id
  `.execute(db);
  return new Set(rows.map((row) => row.account_id));
}

/** Inserts the rows, or replaces the accounts' previous ones. */
async function upsertScores(db: Db, rows: Insertable<AccountScoresTable>[]): Promise<void> {
  await db
    .insertInto('account_scores')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['project_id', 'account_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        plan: eb.ref('excluded.plan'),
        mrr: eb.ref('excluded.mrr'),
        seats: eb.ref('excluded.seats'),
        start_day: eb.ref('excluded.start_day'),
        last_seen_day: eb.ref('excluded.last_seen_day'),
        churned_at: eb.ref('excluded.churned_at'),
        score: eb.ref('excluded.score'),
        tier: eb.ref('excluded.tier'),
        churn_probability: eb.ref('excluded.churn_probability'),
        top_factors: eb.ref('excluded.top_factors'),
        trend: eb.ref('excluded.trend'),
        features: eb.ref('excluded.features'),
        model: eb.ref('excluded.model'),
        basis: eb.ref('excluded.basis'),
        scored_at: eb.ref('excluded.scored_at'),
      })),
    )
    .execute();
}

/**
 * The day each of the accounts' kept rows was scored on (key probes, one per account); rows
 * without kept features (from before they were kept) are left out, as if there were none.
 */
export async function readScoredDays(
  db: Db,
  projectId: string,
  accountIds: string[],
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('account_scores')
    .select(['account_id', 'scored_at'])
    .where('project_id', '=', projectId)
    .where('account_id', 'in', accountIds)
    .where('features', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [row.account_id, utcDay(new Date(row.scored_at))]));
}

/** A kept row as a refresh reads it: its features, and what they were scored as, when. */
export interface KeptFeatures {
  basis: string;
  scoredDay: string;
  score: number;
  tier: string;
  churnProbability: number | null;
  features: AccountFeatures | null;
}

/** The features the accounts' kept rows were scored from, with their scores, basis and day. */
export async function readKeptFeatures(
  db: Db,
  projectId: string,
  accountIds: string[],
): Promise<Map<string, KeptFeatures>> {
  const rows = await db
    .selectFrom('account_scores')
    .select(['account_id', 'basis', 'scored_at', 'score', 'tier', 'churn_probability', 'features'])
    .where('project_id', '=', projectId)
    .where('account_id', 'in', accountIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        basis: row.basis,
        scoredDay: utcDay(new Date(row.scored_at)),
        score: row.score,
        tier: row.tier,
        churnProbability: row.churn_probability,
        features: (row.features as AccountFeatures | null) ?? null,
      },
    ]),
  );
}

/** Tenure in days on `day` of an account that started on `startDay`, as the features count it. */
export function tenureDaysOn(startDay: string, day: string): number {
  return Math.max(0, daysBetween(startDay, day));
}

/**
 * Refreshes the planner's statistics of the stored scores, after a full pass has rewritten
 * them. A Postgres server gathers them by itself (later); PGlite never does, and without them
 * it plans the first page by risk as a sort of every row (it takes the project for a few rows)
 * instead of a read of 51 index entries.
 */
export async function analyzeStoredScores(db: Db): Promise<void> {
  await sql`analyze account_scores`.execute(db);
}
