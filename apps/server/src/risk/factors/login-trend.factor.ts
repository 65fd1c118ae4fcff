import { clamp, percent, type RiskFactorDefinition, relativeChange } from './factor.js';

/** Below this many logins in the earlier 4 weeks, a percentage change is noise. */
const MIN_PREVIOUS_LOGINS = 4;

/**
 * Logins in the last 4 weeks against the 4 before. Usage decays before customers leave (daily,
 * then weekly, then monthly, then never), so a falling login count is the leading edge of the
 * decay, visible weeks before the inactivity threshold. 15 points at a drop of 80% or more;
 * growth of 16% or more takes off up to 3 points.
 */
export const loginTrendFactor: RiskFactorDefinition = {
  key: 'login_trend',
  weight: 15,
  read(features) {
    const change = relativeChange(features.logins28, features.loginsPrev28, MIN_PREVIOUS_LOGINS);
    if (change === null) {
      return {
        value: null,
        baseline: 0,
        severity: 0,
        message: `Too few logins in the previous 4 weeks (${features.loginsPrev28}) to measure a trend`,
      };
    }
    const severity = clamp(-change / 0.8, -0.2, 1);
    const direction = change < 0 ? 'down' : 'up';
    const message =
      Math.abs(change) < 0.05
        ? `Logins steady vs the previous 4 weeks (${features.logins28} vs ${features.loginsPrev28})`
        : `Logins ${direction} ${percent(change)} vs the previous 4 weeks (${features.logins28} vs ${features.loginsPrev28})`;
    return { value: Math.round(change * 100), baseline: 0, severity, message };
  },
};
