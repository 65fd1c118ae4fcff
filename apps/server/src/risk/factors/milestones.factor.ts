import { plural, type RiskFactorDefinition } from './factor.js';

/** Time a new account gets to reach its first success milestone before it counts against it. */
const ONBOARDING_DAYS = 30;

/**
 * Success milestones. Accounts that reach the outcomes they bought the product for stay;
 * accounts that never reach one after onboarding have not seen value. 6 points for no milestone
 * after 30 days; recent milestones (90 days) take 3 points off.
 */
export const milestonesFactor: RiskFactorDefinition = {
  key: 'milestones',
  weight: 6,
  read({ firstMilestoneDay, milestones90, tenureDays }) {
    if (firstMilestoneDay === null) {
      return {
        value: 0,
        baseline: 1,
        severity: tenureDays >= ONBOARDING_DAYS ? 1 : 0,
        message: `No success milestone reached in ${tenureDays} days`,
      };
    }
    if (milestones90 > 0) {
      return {
        value: milestones90,
        baseline: 1,
        severity: -0.5,
        message: `${plural(milestones90, 'milestone')} reached in the last 90 days`,
      };
    }
    return {
      value: 0,
      baseline: 1,
      severity: 0,
      message: `No milestone in the last 90 days (first reached ${firstMilestoneDay})`,
    };
  },
};
