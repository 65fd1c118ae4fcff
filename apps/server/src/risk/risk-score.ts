import type { AccountFeatures } from './account-features.types.js';
import { DEFAULT_FACTORS } from './factors/default-factors.js';
import { clamp, type FactorContext, type FactorReading } from './factors/factor.js';
import type { ModelWeights } from './model/model-weights.js';
import { recommendationsFor } from './recommendations.js';
import type { AccountRisk, RiskFactor, RiskTrend } from './risk.types.js';
import { type TierRule, tierOfRisk } from './risk-tier.js';

export interface ScoringOptions {
  asOf: Date;
  context: FactorContext;
  /** The model's points per factor, settings multipliers already applied. */
  weights: ModelWeights;
  tiers: TierRule;
}

/** A score change smaller than this over a week is "stable". */
const TREND_POINTS = 5;

/** The factors whose reading shows a problem (a positive severity): the ones that earn a play. */
export function concernsOf(readings: { key: string; reading: FactorReading }[]): Set<string> {
  return new Set(readings.filter(({ reading }) => reading.severity > 0).map(({ key }) => key));
}

/** Every factor's reading of an account: the severities are also the learned model's inputs. */
export function readFactors(
  features: AccountFeatures,
  context: FactorContext,
): { key: string; reading: FactorReading }[] {
  return DEFAULT_FACTORS.map((factor) => ({
    key: factor.key,
    reading: factor.read(features, context),
  }));
}

/** The change against the score a week or more before. */
export function trendOf(score: number, previousScore: number | null): RiskTrend {
  if (previousScore === null) return { previousScore: null, change: null, direction: null };
  const change = Math.round((score - previousScore) * 10) / 10;
  const direction =
    change >= TREND_POINTS ? 'rising' : change <= -TREND_POINTS ? 'falling' : 'stable';
  return { previousScore, change, direction };
}

/**
 * Scores one account: each factor's contribution is its severity times the model's points for
 * it, the score is their sum clamped to 0–100, and the factors are reported biggest first, so
 * the score reads as a sum.
 *
 * @example
 * const risk = scoreAccount(features, { asOf, context, weights: defaultWeights(), tiers: settings });
 * risk.factors[0].message; // "No login for 23 days (threshold 21)"
 */
export function scoreAccount(features: AccountFeatures, options: ScoringOptions): AccountRisk {
  const readings = readFactors(features, options.context);
  const factors: RiskFactor[] = readings.map(({ key, reading }) => ({
    key,
    value: reading.value,
    baseline: reading.baseline,
    // `|| 0` turns −0 (a protective signal with no weight) into 0.
    contribution: Math.round(reading.severity * (options.weights.points[key] ?? 0) * 10) / 10 || 0,
    message: reading.message,
  }));
  const total = factors.reduce((sum, factor) => sum + factor.contribution, 0);
  const score = clamp(Math.round(total), 0, 100);
  factors.sort((a, b) => b.contribution - a.contribution);
  return {
    accountId: features.accountId,
    asOf: options.asOf.toISOString(),
    score,
    tier: tierOfRisk(score, null, options.tiers),
    churnProbability: null,
    factors,
    recommendations: recommendationsFor(factors, features, options.context, concernsOf(readings)),
    trend: trendOf(score, features.previousScore),
    model: options.weights.kind,
  };
}
