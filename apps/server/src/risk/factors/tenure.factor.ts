import type { RiskFactorDefinition } from './factor.js';

/**
 * Tenure. New customers churn more often than long-standing ones (they have not built the
 * product into their work yet), which is why the research asks to segment churn by new vs
 * long-standing. 5 points on the first day, fading to none at settings.newCustomerDays.
 */
export const tenureFactor: RiskFactorDefinition = {
  key: 'tenure',
  weight: 5,
  read({ tenureDays }, { newCustomerDays }) {
    const isNew = tenureDays < newCustomerDays;
    return {
      value: tenureDays,
      baseline: newCustomerDays,
      severity: isNew ? 1 - tenureDays / newCustomerDays : 0,
      message: isNew
        ? `New customer: ${tenureDays} days (new until ${newCustomerDays})`
        : `Customer for ${tenureDays} days`,
    };
  },
};
