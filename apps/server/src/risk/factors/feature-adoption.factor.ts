import {
  activityToday,
  beforeToday,
  clamp,
  featureList,
  type RiskFactorDefinition,
} from './factor.js';

/**
 * Breadth of key-feature adoption: how many of the project's key features the account used in
 * the last 28 days. Low adoption means paying for features it never uses, one of the research's
 * early-warning signals, and the features it never touched are the most concrete thing a CSM
 * can offer help with. 12 points when none is used, nothing from half of them up.
 */
export const featureAdoptionFactor: RiskFactorDefinition = {
  key: 'feature_adoption',
  weight: 12,
  read(features, { keyFeatures }) {
    if (keyFeatures.length === 0) {
      return {
        value: null,
        baseline: null,
        severity: 0,
        message: 'No key features configured or seen yet',
      };
    }
    const used = keyFeatures.filter((feature) => features.keyFeaturesUsed28.includes(feature));
    const usedToday = activityToday(features).keyFeaturesUsed;
    // "Never" only for what the account has not touched at all, today included.
    const neverUsed = keyFeatures.filter(
      (f) => !features.keyFeaturesEverUsed.includes(f) && !usedToday.includes(f),
    );
    const onlyToday = keyFeatures.filter((f) => usedToday.includes(f) && !used.includes(f));
    const breadth = used.length / keyFeatures.length;
    const baseline = Math.ceil(keyFeatures.length / 2);
    let message =
      onlyToday.length === 0
        ? `Uses ${used.length} of ${keyFeatures.length} key features ${beforeToday(28)}`
        : `Uses ${used.length + onlyToday.length} of ${keyFeatures.length} key features counting today ` +
          `(${used.length === 0 ? 'none' : used.length} ${beforeToday(28)}, which the score counts)`;
    if (neverUsed.length > 0) message += `; never used ${featureList(neverUsed)}`;
    return {
      value: used.length,
      baseline,
      severity: clamp((0.5 - breadth) / 0.5, 0, 1),
      message,
    };
  },
};
