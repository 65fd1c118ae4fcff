import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { utcDay } from '../time/utc-day.js';
import type { TodayActivity } from './account-features.types.js';
import { readKeptFeatures, topFactors } from './current-scores.sql.js';
import { todayActivity } from './current-signals.sql.js';
import { NO_ACTIVITY_TODAY } from './factors/factor.js';
import { modelInUse } from './model/model-store.sql.js';
import type { RiskFactor } from './risk.types.js';
import { scoreWith, scoringContext } from './score-accounts.js';
import type { StoredAccount } from './stored-account-list.sql.js';

/**
 * A page of the current list with what it says of today read now. A kept row holds what its
 * scoring saw of the day, and the events that only add to the day's counters (logins, feature
 * use, article views: most of a day's traffic) do not rewrite it (event-needs.ts), so that they
 * cost the score keeper nothing. The score, tier and probability count complete days only and
 * stand; the factor messages quote the day ("logged in today", "3 knowledge-base article views
 * today"). So the page's rows scored today on the current `basis` are compared with the day's
 * counters now (two key probes each), and those whose day moved have their top factors written
 * anew from their kept features: the cost of a page, not of every event.
 */
export async function withTodayNow(
  db: Db,
  projectId: string,
  accounts: StoredAccount[],
  { asOf, basis, settings }: { asOf: Date; basis: string; settings: ProjectSettings },
): Promise<StoredAccount[]> {
  const day = utcDay(asOf);
  const ofToday = accounts.filter((account) => utcDay(new Date(account.scoredAt)) === day);
  if (ofToday.length === 0) return accounts;
  const { context } = await scoringContext(db, projectId, asOf, settings);
  const now = await todayActivity(db, projectId, {
    asOf,
    keyFeatures: context.keyFeatures,
    accountIds: ofToday.map((account) => account.accountId),
  });
  const moved = ofToday
    .filter(
      (account) => !sameActivity(account.today ?? NO_ACTIVITY_TODAY, now.get(account.accountId)),
    )
    .map((account) => account.accountId);
  if (moved.length === 0) return accounts;
  const [kept, model] = await Promise.all([
    readKeptFeatures(db, projectId, moved),
    modelInUse(db, projectId, asOf),
  ]);
  const features = moved.flatMap((id) => {
    const row = kept.get(id);
    const today = now.get(id);
    return row?.features && row.basis === basis && today ? [{ ...row.features, today }] : [];
  });
  const scored = await scoreWith(
    db,
    projectId,
    { asOf, settings, context, features },
    model?.weights ?? null,
  );
  const factors = new Map<string, RiskFactor[]>(
    scored.map(({ features, risk }) => [features.accountId, topFactors(risk)]),
  );
  return accounts.map((account) => {
    const topFactors = factors.get(account.accountId);
    return topFactors ? { ...account, topFactors } : account;
  });
}

function sameActivity(a: TodayActivity, b: TodayActivity | undefined): boolean {
  return (
    b !== undefined &&
    a.logins === b.logins &&
    a.kbViews === b.kbViews &&
    a.milestones === b.milestones &&
    a.keyFeaturesUsed.join('\n') === b.keyFeaturesUsed.join('\n')
  );
}
