import {
  clamp,
  featureList,
  percent,
  type RiskFactorDefinition,
  relativeChange,
} from './factor.js';

const MIN_PREVIOUS_USES = 5;

/**
 * Key-feature use in the last 4 weeks against the 4 before. Decaying accounts drop features
 * before they stop logging in (they keep the one report they need, then not even that). 8
 * points at a drop of 80% or more. Features used before but not lately are named.
 */
export const adoptionTrendFactor: RiskFactorDefinition = {
  key: 'feature_adoption_trend',
  weight: 8,
  read(features) {
    const now = features.keyFeatureUses28;
    const before = features.keyFeatureUsesPrev28;
    const change = relativeChange(now, before, MIN_PREVIOUS_USES);
    const dropped = features.keyFeaturesUsedPrev28.filter(
      (feature) => !features.keyFeaturesUsed28.includes(feature),
    );
    if (change === null) {
      return {
        value: null,
        baseline: 0,
        severity: 0,
        message: `Too little key-feature use in the previous 4 weeks (${before}) to measure a trend`,
      };
    }
    let message =
      Math.abs(change) < 0.05
        ? `Key-feature use steady vs the previous 4 weeks (${now} vs ${before})`
        : `Key-feature use ${change < 0 ? 'down' : 'up'} ${percent(change)} vs the previous 4 weeks (${now} vs ${before})`;
    if (dropped.length > 0) message += `; stopped using ${featureList(dropped)}`;
    return {
      value: Math.round(change * 100),
      baseline: 0,
      severity: clamp(-change / 0.8, 0, 1),
      message,
    };
  },
};
