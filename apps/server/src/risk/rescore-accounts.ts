import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import type { AccountFeatures, TodayActivity } from './account-features.types.js';
import {
  type KeptFeatures,
  readKeptFeatures,
  storeCurrentScores,
  storeScoredRows,
  storeTodayMessages,
} from './current-scores.sql.js';
import { type CurrentSignals, currentSignals, todayActivity } from './current-signals.sql.js';
import { modelInUse } from './model/model-store.sql.js';
import { type ScoredAccount, scoreWith, scoringContext, scoringInputs } from './score-accounts.js';
import { scoringBasis } from './scoring-basis.js';

/** What a scoring of accounts wrote: their rows' activity of the day, and the key features. */
export interface Written {
  today: Map<string, TodayActivity>;
  keyFeatures: string[];
}

/** Scores accounts in full as of `asOf` and stores their rows. */
export async function rescoreAccounts(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
): Promise<Written> {
  const [basis, inputs, model] = await Promise.all([
    scoringBasis(db, projectId, asOf),
    scoringInputs(db, projectId, asOf, { accountIds, includeChurned: true }),
    modelInUse(db, projectId, asOf),
  ]);
  const scored = await scoreWith(db, projectId, inputs, model?.weights ?? null);
  await storeCurrentScores(db, projectId, scored, basis);
  return { today: todayOfRows(scored), keyFeatures: inputs.context.keyFeatures };
}

/**
 * Scores accounts again whose new events are all of the day their kept rows were scored on:
 * from the features those rows were scored from, with what can change within a day read anew:
 * the day's activity (two key probes an account instead of the feature statement's dozen),
 * and for the accounts of `current` (group calls, ticket or subscription events), their terms
 * and tickets too (`currentSignals`). The rest of the features count complete days only, so
 * they stand. Each row is written as little as it changed (`howToStore`).
 * Accounts without kept features of today's day and basis are left to a full scoring: returned
 * as `unrefreshed`.
 */
export async function refreshFromKept(
  db: Db,
  projectId: string,
  accountIds: string[],
  asOf: Date,
  current: ReadonlySet<string>,
): Promise<Written & { unrefreshed: string[] }> {
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
  const refreshed = accountIds.filter((id) => fresh(id) !== null);
  const query = { asOf, keyFeatures: context.keyFeatures };
  const [signals, today] = await Promise.all([
    currentSignals(db, projectId, {
      ...query,
      accountIds: refreshed.filter((id) => current.has(id)),
    }),
    todayActivity(db, projectId, {
      ...query,
      accountIds: refreshed.filter((id) => !current.has(id)),
    }),
  ]);
  const unrefreshed: string[] = [];
  const features: AccountFeatures[] = [];
  for (const id of accountIds) {
    const keptFeatures = fresh(id);
    const activity = today.get(id);
    const moved = signals.get(id) ?? (activity && { today: activity });
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
    today: [],
    row: [],
    counted: [],
  };
  for (const account of scored) {
    written[howToStore(account, kept.get(account.features.accountId))].push(account);
  }
  await storeTodayMessages(db, projectId, written.today);
  const stored = await storeScoredRows(db, projectId, written.row);
  const counted = [
    ...written.counted,
    ...written.row.filter((account) => !stored.has(account.features.accountId)),
  ];
  await storeCurrentScores(db, projectId, counted, basis);
  return { unrefreshed, today: todayOfRows(scored), keyFeatures: context.keyFeatures };
}

/**
 * How a refreshed account's row is written: `today`, only what it says of today (the score,
 * tier, probability and other signals stand); `row`, in full but alone (what the counts by tier
 * add up, tier, churn and MRR, stands); `counted`, with the counts, through the full store.
 */
function howToStore(
  { features, risk }: ScoredAccount,
  row: KeptFeatures | undefined,
): 'today' | 'row' | 'counted' {
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
  return same ? 'today' : 'row';
}

/** The features of `CurrentSignals` but today, all scalars: compared with `===`. */
const SIGNALS_BESIDES_TODAY = [
  'name',
  'plan',
  'mrr',
  'seats',
  'billingInterval',
  'tenureDays',
  'churnedAt',
  'ticketsOpened90',
  'ticketsOpen',
  'ticketsUnsatisfied90',
  'ticketsWithoutFollowUp90',
] as const satisfies ReadonlyArray<Exclude<keyof CurrentSignals, 'today'>>;

function todayOfRows(scored: ScoredAccount[]): Map<string, TodayActivity> {
  const today = new Map<string, TodayActivity>();
  for (const { features } of scored) {
    if (features.today) today.set(features.accountId, features.today);
  }
  return today;
}
