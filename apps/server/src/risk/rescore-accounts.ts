import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import { readKeptFeatures, storeCurrentScores, storeTodayMessages } from './current-scores.sql.js';
import { modelInUse } from './model/model-store.sql.js';
import { type ScoredAccount, scoreWith, scoringContext, scoringInputs } from './score-accounts.js';
import { scoringBasis } from './scoring-basis.js';
import { todayActivity } from './today-activity.sql.js';

/**
 * Scores accounts in full as of `asOf` and stores their rows; returns the key features used.
 */
export async function rescoreAccounts(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
): Promise<{ keyFeatures: string[] }> {
  const [basis, inputs, model] = await Promise.all([
    scoringBasis(db, projectId, asOf),
    scoringInputs(db, projectId, asOf, { accountIds, includeChurned: true }),
    modelInUse(db, projectId, asOf),
  ]);
  const scored = await scoreWith(db, projectId, inputs, model?.weights ?? null);
  await storeCurrentScores(db, projectId, scored, basis);
  return { keyFeatures: inputs.context.keyFeatures };
}

/**
 * Scores accounts again whose new events changed only their activity of the day: from the
 * features their kept rows were scored from today, with the day's activity read anew (two key
 * probes an account instead of the feature statement's dozen). The score reads complete days
 * only, so what it moves is what the factor messages say of today, and only that is written
 * (through the full store when the score moved after all). Accounts without kept features of today's day and basis are
 * left to a full scoring: returned as `unrefreshed`, with the key features used.
 */
export async function refreshToday(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
): Promise<{ unrefreshed: string[]; keyFeatures: string[] }> {
  const [basis, { settings, context }, model, kept] = await Promise.all([
    scoringBasis(db, projectId, asOf),
    scoringContext(db, projectId, asOf),
    modelInUse(db, projectId, asOf),
    readKeptFeatures(db, projectId, accountIds),
  ]);
  const day = utcDay(asOf);
  const unrefreshed: string[] = [];
  const refreshed = [];
  for (const id of accountIds) {
    const row = kept.get(id);
    if (row?.features && row.basis === basis && row.scoredDay === day) {
      refreshed.push(row.features);
    } else unrefreshed.push(id);
  }
  const today = await todayActivity(db, projectId, {
    asOf,
    accountIds: refreshed.map((features) => features.accountId),
    keyFeatures: context.keyFeatures,
  });
  const features = refreshed.map((account) => ({
    ...account,
    today: today.get(account.accountId),
  }));
  const scored = await scoreWith(
    db,
    projectId,
    { asOf, settings, context, features },
    model?.weights ?? null,
  );
  // The features but today's are the kept ones, so the score stands unless what scoring reads
  // besides them moved since (the project's norms, cached for minutes, after late data).
  const stands = ({ features, risk }: ScoredAccount) => {
    const row = kept.get(features.accountId);
    return (
      row?.score === risk.score &&
      row.tier === risk.tier &&
      row.churnProbability === risk.churnProbability
    );
  };
  await storeTodayMessages(db, projectId, scored.filter(stands));
  await storeCurrentScores(
    db,
    projectId,
    scored.filter((account) => !stands(account)),
    basis,
  );
  return { unrefreshed, keyFeatures: context.keyFeatures };
}
