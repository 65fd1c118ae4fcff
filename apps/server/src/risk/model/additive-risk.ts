import type { AccountFeatures } from '../account-features.types.js';
import type { FactorContext } from '../factors/factor.js';
import { recommendationsFor } from '../recommendations.js';
import type { AccountRisk, RiskFactor } from '../risk.types.js';
import { concernsOf, readFactors, trendOf } from '../risk-score.js';
import { type TierRule, tierOfRisk } from '../risk-tier.js';
import { type AdditiveModel, explainRow } from './additive-model.js';
import { apportionPoints } from './apportion-points.js';
import { type ActivityDay, type LifetimeTotals, modelInputs } from './model-inputs.js';
import { stateOfFeatures } from './model-inputs.sql.js';

export interface AdditiveScoringOptions {
  asOf: Date;
  asOfDay: number;
  context: FactorContext;
  tiers: TierRule;
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
 * const risk = additiveRisk(model, features, { days, totals }, { asOf, asOfDay, context, tiers: settings, factorWeights: {} });
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
  const probability = Math.round(explanation.probability * 1e4) / 1e4;
  return {
    accountId: features.accountId,
    asOf: options.asOf.toISOString(),
    score,
    tier: tierOfRisk(score, probability, options.tiers),
    churnProbability: probability,
    factors,
    recommendations: recommendationsFor(factors, features, options.context, concernsOf(readings)),
    trend: trendOf(score, features.previousScore),
    model: 'learned',
  };
}
