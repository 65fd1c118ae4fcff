import { activityToday, clamp, type RiskFactorDefinition } from './factor.js';

/** Logins this recent are normal for any cadence, daily or weekly. */
const GRACE_DAYS = 3;

/**
 * Days since the last login. The strongest single signal in the research: an account that has
 * not logged in for about three weeks (settings.inactivityDays, default 21) is a major churn
 * risk, and login recency is the simplest engagement measure that works. So it carries the
 * largest weight: 35 of 100 points at the threshold, ramping up linearly from 3 days (a weekly
 * user sits at about 8 points, a fortnight of silence at about 21). An account that never
 * logged in counts from the day it started.
 */
export const loginRecencyFactor: RiskFactorDefinition = {
  key: 'days_since_last_login',
  weight: 35,
  read(features, { inactivityDays }) {
    const days = features.daysSinceLastLogin ?? features.tenureDays;
    const severity = clamp((days - GRACE_DAYS) / Math.max(1, inactivityDays - GRACE_DAYS), 0, 1);
    let message: string;
    // The score counts whole days, so a login today does not lower it until tomorrow; the
    // message must still not claim an absence the account has just ended.
    if (activityToday(features).logins > 0) {
      message =
        features.daysSinceLastLogin === null
          ? `First login today (the score counts whole days: none in the ${days} days before)`
          : days <= 1
            ? 'Logged in today and yesterday'
            : `Logged in today, after ${days} days without a login (threshold ${inactivityDays}; the score counts whole days)`;
    } else if (features.daysSinceLastLogin === null) {
      message = `No login since the account started ${days} days ago (threshold ${inactivityDays})`;
    } else if (days >= inactivityDays) {
      message = `No login for ${days} days (threshold ${inactivityDays})`;
    } else if (days <= 1) {
      message = 'Logged in yesterday';
    } else {
      message = `Last login ${days} days ago (threshold ${inactivityDays})`;
    }
    return { value: days, baseline: inactivityDays, severity, message };
  },
};
