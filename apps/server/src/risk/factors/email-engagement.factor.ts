import { clamp, percent, type RiskFactorDefinition, relativeChange } from './factor.js';

const MIN_PREVIOUS_INTERACTIONS = 3;

/**
 * Email opens and clicks in the last 4 weeks against the 4 before. Falling email engagement is
 * one of the research's early-warning signals: the customer stops reading what the vendor
 * sends. Without "email sent" events there is no open rate, so the trend stands in for it.
 * 6 points at a drop of 80% or more.
 */
export const emailEngagementFactor: RiskFactorDefinition = {
  key: 'email_engagement',
  weight: 6,
  read(features) {
    const now = features.emailOpens28 + features.emailClicks28;
    const before = features.emailOpensPrev28 + features.emailClicksPrev28;
    const change = relativeChange(now, before, MIN_PREVIOUS_INTERACTIONS);
    if (change === null) {
      return {
        value: null,
        baseline: 0,
        severity: 0,
        message: `Too few email opens and clicks in the previous 4 weeks (${before}) to measure a trend`,
      };
    }
    const message =
      Math.abs(change) < 0.05
        ? `Email opens and clicks steady (${now} vs ${before})`
        : `Email opens and clicks ${change < 0 ? 'down' : 'up'} ${percent(change)} vs the previous 4 weeks (${now} vs ${before})`;
    return {
      value: Math.round(change * 100),
      baseline: 0,
      severity: clamp(-change / 0.8, 0, 1),
      message,
    };
  },
};
