import type { ProjectSettings } from '../settings/project-settings.js';
import type { RiskTier } from './risk.types.js';

/**
 * The tier of a score: at or above a cut-off is in that tier.
 *
 * @example
 * tierOf(62, { watch: 30, at_risk: 55, critical: 75 }); // 'at_risk'
 */
export function tierOf(score: number, cutoffs: ProjectSettings['tierCutoffs']): RiskTier {
  if (score >= cutoffs.critical) return 'critical';
  if (score >= cutoffs.at_risk) return 'at_risk';
  if (score >= cutoffs.watch) return 'watch';
  return 'healthy';
}

/** Order of tiers from best to worst, to tell whether an account "entered a worse tier". */
export function tierRank(tier: RiskTier): number {
  return ['healthy', 'watch', 'at_risk', 'critical'].indexOf(tier);
}
