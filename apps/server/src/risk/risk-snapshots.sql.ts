import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { DAY_MS } from '../time/utc-day.js';
import type { AccountRisk, RiskTier } from './risk.types.js';
import { scoreAccounts } from './score-accounts.js';

export interface SnapshotChange {
  accountId: string;
  /** The latest earlier snapshot, null for an account's first. */
  previous: { score: number; tier: RiskTier; takenAt: string } | null;
  current: AccountRisk;
}

const INSERT_CHUNK = 1_000;

/**
 * Scores every current account as of `asOf` (default now) and stores a snapshot for each whose
 * score or tier differs from its latest earlier snapshot (an unchanged score needs no new row:
 * the latest earlier snapshot still says what the score was then). Returns those changes, with
 * the previous snapshot, so a caller can see who entered a worse tier.
 *
 * @example
 * const changes = await takeSnapshots(db, projectId);
 */
export async function takeSnapshots(
  db: Db,
  projectId: string,
  asOf: Date = new Date(),
): Promise<SnapshotChange[]> {
  const risks = await scoreAccounts(db, projectId, { asOf });
  if (risks.length === 0) return [];
  const latest = await sql<{ account_id: string; score: number; tier: RiskTier; taken_at: Date }>`
    select a.account_id, s.score, s.tier, s.taken_at
    from unnest(${risks.map((risk) => risk.accountId)}::text[]) as a(account_id)
    cross join lateral (
      select score, tier, taken_at from risk_snapshots r
      where r.project_id = ${projectId} and r.account_id = a.account_id
        and r.taken_at <= ${asOf.toISOString()}::timestamptz
      order by r.taken_at desc limit 1
    ) s
  `.execute(db);
  const previous = new Map(latest.rows.map((row) => [row.account_id, row]));
  const changes: SnapshotChange[] = [];
  for (const risk of risks) {
    const before = previous.get(risk.accountId);
    if (before && before.score === risk.score && before.tier === risk.tier) continue;
    changes.push({
      accountId: risk.accountId,
      previous: before
        ? {
            score: before.score,
            tier: before.tier,
            takenAt: new Date(before.taken_at).toISOString(),
          }
        : null,
      current: risk,
    });
  }
  for (let i = 0; i < changes.length; i += INSERT_CHUNK) {
    await db
      .insertInto('risk_snapshots')
      .values(
        changes.slice(i, i + INSERT_CHUNK).map(({ current }) => ({
          project_id: projectId,
          account_id: current.accountId,
          taken_at: asOf.toISOString(),
          score: current.score,
          tier: current.tier,
          // The compact form: the full messages are recomputed on demand from the same data.
          factors: JSON.stringify(
            current.factors.map(({ key, value, contribution }) => ({ key, value, contribution })),
          ),
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['project_id', 'account_id', 'taken_at']).doNothing(),
      )
      .execute();
  }
  return changes;
}

/**
 * Snapshots at past times, oldest first (e.g. weekly over the last two months), so a freshly
 * loaded project has trends at once.
 */
export async function backfillSnapshots(
  db: Db,
  projectId: string,
  options: { end?: Date; weeks: number },
): Promise<number> {
  const end = options.end ?? new Date();
  let stored = 0;
  for (let week = options.weeks; week >= 1; week -= 1) {
    const asOf = new Date(end.getTime() - week * 7 * DAY_MS);
    stored += (await takeSnapshots(db, projectId, asOf)).length;
  }
  return stored;
}
