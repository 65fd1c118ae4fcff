import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import type { AccountFeatures } from './account-features.types.js';
import {
  type KeptFeatures,
  readKeptFeatures,
  storeCurrentScores,
  storeScoredRows,
} from './current-scores.sql.js';
import { type CurrentSignals, currentSignals } from './current-signals.sql.js';
import { modelInUse } from './model/model-store.sql.js';
import { type ScoredAccount, scoreWith, scoringContext, scoringInputs } from './score-accounts.js';
import { scoringBasis } from './scoring-basis.js';

/** Scores accounts in full as of `asOf` and stores their rows. */
export async function rescoreAccounts(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
): Promise<string[]> {
  const [basis, inputs, model] = await Promise.all([
    scoringBasis(db, projectId, asOf),
    scoringInputs(db, projectId, asOf, { accountIds, includeChurned: true }),
    modelInUse(db, projectId, asOf),
  ]);
  const scored = await scoreWith(db, projectId, inputs, model?.weights ?? null);
  await storeCurrentScores(db, projectId, scored, basis);
  return scored.map((account) => account.features.accountId);
}

/**
 * Scores accounts again whose terms or tickets moved within the day their kept rows were
 * scored on (group calls, ticket and subscription events): from the features those rows were
 * scored from, with what can change within a day read anew (`currentSignals`: the terms,
 * tickets and the day's activity, at a fraction of the feature statement's probes). The rest
 * of the features count complete days only, so they stand. Each row is written as little as
 * it changed (`howToStore`). Accounts without kept features of today's day and basis are left
 * to a full scoring: returned as `unrefreshed`.
 */
export async function refreshFromKept(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
): Promise<{ unrefreshed: string[] }> {
  const [basis, { settings, context }, model, kept] = await Promise.all([
    scoringBasis(db, projectId, asOf),
    scoringContext(db, projectId, asOf),
    modelInUse(db, projectId, asOf),
    readKeptFeatures(db, projectId, accountIds),
  ]);
  const day = utcDay(asOf);
  const fresh = (id: string) => {
    const row = kept.get(id);
    return row?.features && row.basis === basis && row.scoredDay === day ? row.features : null;
  };
  const signals = await currentSignals(db, projectId, {
    asOf,
    keyFeatures: context.keyFeatures,
    accountIds: accountIds.filter((id) => fresh(id) !== null),
  });
  const unrefreshed: string[] = [];
  const features: AccountFeatures[] = [];
  for (const id of accountIds) {
    const keptFeatures = fresh(id);
    const moved = signals.get(id);
    if (keptFeatures && moved) features.push({ ...keptFeatures, ...moved });
    else unrefreshed.push(id);
  }
  const scored = await scoreWith(
    db,
    projectId,
    { asOf, settings, context, features },
    model?.weights ?? null,
  );
  // What scoring reads besides the features (the project's norms, cached for minutes) may have
  // moved since the row was written, so the score is compared, not assumed.
  const written: Record<ReturnType<typeof howToStore>, ScoredAccount[]> = {
    unchanged: [],
    row: [],
    counted: [],
  };
  for (const account of scored) {
    written[howToStore(account, kept.get(account.features.accountId))].push(account);
  }
  const stored = await storeScoredRows(db, projectId, written.row);
  const counted = [
    ...written.counted,
    ...written.row.filter((account) => !stored.has(account.features.accountId)),
  ];
  await storeCurrentScores(db, projectId, counted, basis);
  return { unrefreshed };
}

/**
 * How a refreshed account's row is written: `unchanged`, not at all (the score, tier,
 * probability and signals stand; what it says of today the list reads anew, list-today.ts);
 * `row`, in full but alone (what the counts by tier add up, tier, churn and MRR, stands);
 * `counted`, with the counts, through the full store.
 */
function howToStore(
  { features, risk }: ScoredAccount,
  row: KeptFeatures | undefined,
): 'unchanged' | 'row' | 'counted' {
  const was = row?.features;
  if (!row || !was) return 'counted';
  if (
    row.tier !== risk.tier ||
    was.mrr !== features.mrr ||
    (was.churnedAt === null) !== (features.churnedAt === null)
  ) {
    return 'counted';
  }
  const same =
    row.score === risk.score &&
    row.churnProbability === risk.churnProbability &&
    SIGNALS_BESIDES_TODAY.every((key) => was[key] === features[key]);
  return same ? 'unchanged' : 'row';
}

/**
 * The features of `CurrentSignals` but today, all scalars: compared with `===`. A record, so
 * that a signal added to `CurrentSignals` fails to compile until it is listed here.
 */
const SIGNALS_BESIDES_TODAY = Object.keys({
  name: true,
  plan: true,
  mrr: true,
  seats: true,
  billingInterval: true,
  tenureDays: true,
  churnedAt: true,
  ticketsOpened90: true,
  ticketsOpen: true,
  ticketsUnsatisfied90: true,
  ticketsWithoutFollowUp90: true,
} satisfies Record<Exclude<keyof CurrentSignals, 'today'>, true>) as Array<
  Exclude<keyof CurrentSignals, 'today'>
>;
