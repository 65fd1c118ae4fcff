import type { DbOrTx } from '../db/database.types.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { effectiveAsOf } from '../time/as-of.js';
import { accountFeatures } from './account-features.sql.js';
import type { AccountFeatures } from './account-features.types.js';
import { modelInUse, weightsOf } from './model/model-store.sql.js';
import { defaultWeights, withMultipliers } from './model/model-weights.js';
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
  db: DbOrTx,
  projectId: string,
  options: ScoreOptions = {},
): Promise<{ asOf: Date; scored: ScoredAccount[] }> {
  const asOf = effectiveAsOf(options.asOf);
  const settings = await getProjectSettings(db, projectId);
  const [norms, model] = await Promise.all([
    projectNorms(db, projectId, asOf, settings),
    modelInUse(db, projectId, asOf),
  ]);
  const weights = withMultipliers(weightsOf(model, defaultWeights()), settings.factorWeights);
  const context = factorContext(settings, norms);
  const features = await accountFeatures(db, projectId, {
    asOf,
    keyFeatures: norms.keyFeatures,
    accountIds: options.accountIds,
  });
  const scored = features
    .filter((account) => options.includeChurned || account.churnedAt === null)
    .map((account) => ({
      features: account,
      risk: {
        ...scoreAccount(account, { asOf, context, weights, tierCutoffs: settings.tierCutoffs }),
        churnedAt: account.churnedAt,
      },
    }));
  return { asOf, scored };
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
  db: DbOrTx,
  projectId: string,
  options: ScoreOptions = {},
): Promise<AccountRisk[]> {
  const { scored } = await scoreProject(db, projectId, options);
  return scored.map((account) => account.risk);
}
