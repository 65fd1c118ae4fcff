import type { ProjectSettings } from '../../settings/project-settings.js';
import type { AccountFeatures } from '../account-features.types.js';
import type { FactorContext } from '../factors/factor.js';
import { recommendationsFor } from '../recommendations.js';
import type { AccountRisk, RiskFactor } from '../risk.types.js';
import { readFactors, trendOf } from '../risk-score.js';
import { tierOf } from '../risk-tier.js';
import { type AdditiveModel, explainRow } from './additive-model.js';
import { apportionPoints } from './apportion-points.js';
import { type ActivityDay, type LifetimeTotals, modelInputs } from './model-inputs.js';
import { stateOfFeatures } from './model-inputs.sql.js';

export interface AdditiveScoringOptions {
  asOf: Date;
  asOfDay: number;
  context: FactorContext;
  tierCutoffs: ProjectSettings['tierCutoffs'];
  /** Multipliers by factor key from the settings (1 = as learned, 0 = off). */
  factorWeights: Record<string, number>;
}

/**
 * Scores one account with a learned additive model. The factors keep their readings (value,
 * baseline, message) and recommendations; each factor's contribution is the learned model's
 * points for the inputs grouped under its key, against the project's typical retained account,
 * so the contributions add up to the score. `churnProbability` is the calibrated chance of
 * cancelling within the model's horizon.
 *
 * @example
 * const risk = additiveRisk(model, features, { days, totals }, { asOf, asOfDay, context, tierCutoffs, factorWeights: {} });
 */
export function additiveRisk(
  model: AdditiveModel,
  features: AccountFeatures,
  activity: { days: ActivityDay[]; totals: LifetimeTotals },
  options: AdditiveScoringOptions,
): AccountRisk {
  const state = stateOfFeatures(features, options.asOfDay);
  const explanation = explainRow(model, {
    inputs: modelInputs(state, activity.days, activity.totals, options.asOfDay),
    tenureDays: features.tenureDays,
    plan: features.plan,
  });
  const readings = readFactors(features, options.context);
  const exact = readings.map(
    ({ key }) => (explanation.byFactor.get(key) ?? 0) * (options.factorWeights[key] ?? 1),
  );
  const { score, points } = apportionPoints(exact);
  const factors: RiskFactor[] = readings.map(({ key, reading }, index) => ({
    key,
    value: reading.value,
    baseline: reading.baseline,
    contribution: points[index]!,
    message: reading.message,
  }));
  factors.sort((a, b) => b.contribution - a.contribution);
  return {
    accountId: features.accountId,
    asOf: options.asOf.toISOString(),
    score,
    tier: tierOf(score, options.tierCutoffs),
    churnProbability: Math.round(explanation.probability * 1e4) / 1e4,
    factors,
    recommendations: recommendationsFor(factors, features, options.context),
    trend: trendOf(score, features.previousScore),
    model: 'learned',
  };
}
