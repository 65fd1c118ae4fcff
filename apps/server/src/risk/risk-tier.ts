import type { ProjectSettings } from '../settings/project-settings.js';
import type { RiskTier } from './risk.types.js';

/** What decides an answer's tier: the settings' `tierBy` and both sets of cut-offs. */
export type TierRule = Pick<ProjectSettings, 'tierBy' | 'tierCutoffs' | 'probabilityCutoffs'>;

/**
 * The tier of a value: at or above a cut-off is in that tier.
 *
 * @example
 * tierOf(62, { watch: 30, at_risk: 55, critical: 75 }); // 'at_risk'
 */
export function tierOf(
  value: number,
  cutoffs: { watch: number; at_risk: number; critical: number },
): RiskTier {
  if (value >= cutoffs.critical) return 'critical';
  if (value >= cutoffs.at_risk) return 'at_risk';
  if (value >= cutoffs.watch) return 'watch';
  return 'healthy';
}

/**
 * The tier of a risk answer: by its calibrated churn probability when the settings tier by
 * probability and the model gives one, otherwise by its score.
 *
 * @example
 * tierOfRisk(40, 0.31, { ...settings, tierBy: 'probability' }); // 'at_risk' (0.25 ≤ 0.31 < 0.5)
 */
export function tierOfRisk(score: number, probability: number | null, rule: TierRule): RiskTier {
  if (rule.tierBy === 'probability' && probability !== null) {
    return tierOf(probability, rule.probabilityCutoffs);
  }
  return tierOf(score, rule.tierCutoffs);
}

/** Order of tiers from best to worst, to tell whether an account "entered a worse tier". */
export function tierRank(tier: RiskTier): number {
  return ['healthy', 'watch', 'at_risk', 'critical'].indexOf(tier);
}
