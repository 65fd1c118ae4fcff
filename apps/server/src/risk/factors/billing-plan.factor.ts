import type { RiskFactorDefinition } from './factor.js';

/**
 * Plan and billing interval. A monthly subscriber can leave at any renewal; a yearly contract
 * holds until its term ends, so churn is segmented by plan and interval. A small weight (4
 * points for monthly, 2 off for yearly): the interval shapes when churn can happen more than
 * whether it will.
 */
export const billingPlanFactor: RiskFactorDefinition = {
  key: 'plan',
  weight: 4,
  read({ plan, billingInterval }) {
    const name = plan ?? 'unknown plan';
    if (billingInterval === 'month') {
      return {
        value: 1,
        baseline: 12,
        severity: 1,
        message: `${name}, billed monthly: can cancel at any renewal`,
      };
    }
    if (billingInterval === 'year') {
      return { value: 12, baseline: 12, severity: -0.5, message: `${name}, yearly contract` };
    }
    return { value: null, baseline: 12, severity: 0, message: `${name}, billing interval unknown` };
  },
};
