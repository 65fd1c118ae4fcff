import type { Db } from '../db/database.types.js';
import { getProjectSettings, type ProjectSettings } from '../settings/project-settings.js';
import { effectiveAsOf } from '../time/as-of.js';
import { accountFeatures } from './account-features.sql.js';
import type { AccountFeatures } from './account-features.types.js';
import type { FactorContext } from './factors/factor.js';
import type { AdditiveModel } from './model/additive-model.js';
import { additiveRisk } from './model/additive-risk.js';
import { WINDOWS } from './model/model-inputs.js';
import { activityDays, epochDay, lifetimeTotals } from './model/model-inputs.sql.js';
import { modelInUse } from './model/model-store.sql.js';
import { defaultWeights, withMultipliers } from './model/model-weights.js';
import type { StoredLearnedWeights } from './model/training-report.js';
import { factorContext, projectNorms } from './project-norms.js';
import type { AccountRisk } from './risk.types.js';
import { scoreAccount } from './risk-score.js';

export interface ScoreOptions {
  /** Evaluate as of this time (default now; a future time means now). */
  asOf?: Date | undefined;
  /** Only these accounts (default: all of the project's). */
  accountIds?: string[] | undefined;
  /** Include accounts that had cancelled by `asOf` (default false). */
  includeChurned?: boolean | undefined;
}

export interface ScoredAccount {
  features: AccountFeatures;
  risk: AccountRisk;
}

/** Scores with the features they were computed from (the account list sorts and filters on both). */
export async function scoreProject(
  db: Db,
  projectId: string,
  options: ScoreOptions = {},
): Promise<{ asOf: Date; scored: ScoredAccount[] }> {
  const asOf = effectiveAsOf(options.asOf);
  const [inputs, model] = await Promise.all([
    scoringInputs(db, projectId, asOf, options),
    modelInUse(db, projectId, asOf),
  ]);
  return { asOf, scored: await scoreWith(db, projectId, inputs, model?.weights ?? null) };
}

/** What scoring a project's accounts as of a time reads, whatever the model. */
export interface ScoringInputs {
  asOf: Date;
  settings: ProjectSettings;
  context: FactorContext;
  features: AccountFeatures[];
}

export async function scoringInputs(
  db: Db,
  projectId: string,
  asOf: Date,
  options: Pick<ScoreOptions, 'accountIds' | 'includeChurned'> = {},
): Promise<ScoringInputs> {
  const { settings, context } = await scoringContext(db, projectId, asOf);
  const features = await accountFeatures(db, projectId, {
    asOf,
    keyFeatures: context.keyFeatures,
    accountIds: options.accountIds,
  });
  return {
    asOf,
    settings,
    context,
    features: features.filter((account) => options.includeChurned || account.churnedAt === null),
  };
}

/**
 * What scoring as of a time reads besides the accounts' own features (the project's settings
 * read here unless the caller has them).
 */
export async function scoringContext(
  db: Db,
  projectId: string,
  asOf: Date,
  known?: ProjectSettings,
): Promise<Pick<ScoringInputs, 'settings' | 'context'>> {
  const settings = known ?? (await getProjectSettings(db, projectId));
  const norms = await projectNorms(db, projectId, asOf, settings);
  return { settings, context: factorContext(settings, norms) };
}

/**
 * Scores the accounts with a model: an additive learned one, the points per severity of an
 * earlier learned one (a project trained before the additive model keeps them until it trains
 * again), or the default weights (null).
 */
export async function scoreWith(
  db: Db,
  projectId: string,
  inputs: ScoringInputs,
  model: StoredLearnedWeights | null,
): Promise<ScoredAccount[]> {
  const { asOf, settings, context, features } = inputs;
  if (model?.kind === 'additive') {
    const asOfDay = epochDay(asOf);
    const { days, totals } = await recentActivity(db, projectId, model, features, asOfDay);
    const scoring = {
      asOf,
      asOfDay,
      context,
      tiers: settings,
      factorWeights: settings.factorWeights,
    };
    return features.map((account) => ({
      features: account,
      risk: {
        ...additiveRisk(
          model,
          account,
          {
            days: days.get(account.accountId) ?? [],
            totals: totals.get(account.accountId) ?? NO_ACTIVITY,
          },
          scoring,
        ),
        churnedAt: account.churnedAt,
      },
    }));
  }
  const weights = withMultipliers(model ?? defaultWeights(), settings.factorWeights);
  return features.map((account) => ({
    features: account,
    risk: {
      ...scoreAccount(account, { asOf, context, weights, tiers: settings }),
      churnedAt: account.churnedAt,
    },
  }));
}

const NO_ACTIVITY = { logins: 0, activeDays: 0, featureUses: 0 };

/** The days the learned model's windows read and the lifetime totals, for the accounts scored. */
async function recentActivity(
  db: Db,
  projectId: string,
  model: AdditiveModel,
  features: AccountFeatures[],
  asOfDay: number,
) {
  const accountIds = features.map((account) => account.accountId);
  const [days, totals] = await Promise.all([
    activityDays(db, projectId, {
      fromDay: asOfDay - WINDOWS[WINDOWS.length - 1]!,
      toDay: asOfDay,
      accountIds,
      features: model.features,
    }),
    lifetimeTotals(db, projectId, { asOfDay, accountIds }),
  ]);
  return { days, totals };
}

/**
 * Risk of a project's accounts as of `asOf` (default now), computed from rollups with the model
 * in use at that time. Accounts that did not exist yet, or had already cancelled, are left out
 * unless `includeChurned` is set.
 *
 * @example
 * const [risk] = await scoreAccounts(db, projectId, { accountIds: ['acme'] });
 * risk?.tier; // 'at_risk'
 */
export async function scoreAccounts(
  db: Db,
  projectId: string,
  options: ScoreOptions = {},
): Promise<AccountRisk[]> {
  const { scored } = await scoreProject(db, projectId, options);
  return scored.map((account) => account.risk);
}
