import { beforeToday, clamp, plural, type RiskFactorDefinition } from './factor.js';

/**
 * Password resets in the last 28 days. Many reset attempts are an early-warning sign in the
 * research: users who log in so rarely that they forget the password. One reset is ordinary
 * (about 1.6 points); three or more earn the full 8 points.
 */
export const passwordResetsFactor: RiskFactorDefinition = {
  key: 'password_resets',
  weight: 8,
  read({ passwordResets28 }) {
    return {
      value: passwordResets28,
      baseline: 0,
      severity: clamp((passwordResets28 - 0.5) / 2.5, 0, 1),
      message: `${plural(passwordResets28, 'password reset')} ${beforeToday(28)}`,
    };
  },
};
