import { activityToday, beforeToday, plural, type RiskFactorDefinition } from './factor.js';

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
  read(features) {
    const { firstMilestoneDay, milestones90, tenureDays } = features;
    const today = activityToday(features).milestones;
    if (firstMilestoneDay === null) {
      return {
        value: 0,
        baseline: 1,
        severity: tenureDays >= ONBOARDING_DAYS ? 1 : 0,
        message:
          today > 0
            ? `First success milestone reached today (the score counts whole days)`
            : `No success milestone reached in the ${tenureDays} days before today`,
      };
    }
    if (milestones90 > 0) {
      return {
        value: milestones90,
        baseline: 1,
        severity: -0.5,
        message: `${plural(milestones90, 'milestone')} reached ${beforeToday(90)}`,
      };
    }
    return {
      value: 0,
      baseline: 1,
      severity: 0,
      message:
        today > 0
          ? `A milestone reached today (none ${beforeToday(90)}; first reached ${firstMilestoneDay})`
          : `No milestone ${beforeToday(90)} (first reached ${firstMilestoneDay})`,
    };
  },
};
