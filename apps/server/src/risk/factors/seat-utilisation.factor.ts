import { beforeToday, clamp, percent, plural, type RiskFactorDefinition } from './factor.js';

/** Half the seats in use in a month is what a healthy team account looks like. */
const HEALTHY_UTILISATION = 0.5;

/**
 * Active users (login, feature use or page view in 28 days) against paid seats. Unused seats
 * and licences are an early warning in the research: the customer pays for more than it uses,
 * and the renewal conversation will be about cutting it. 10 points when no seat is used,
 * nothing from half the seats up. Without a seat count, only "nobody active" counts.
 */
export const seatUtilisationFactor: RiskFactorDefinition = {
  key: 'seat_utilisation',
  weight: 10,
  read({ activeUsers28, seats }) {
    if (!seats || seats <= 0) {
      return {
        value: null,
        baseline: HEALTHY_UTILISATION,
        severity: activeUsers28 === 0 ? 1 : 0,
        message: `${plural(activeUsers28, 'active user')} ${beforeToday(28)} (seats unknown)`,
      };
    }
    const utilisation = activeUsers28 / seats;
    const severity = clamp((HEALTHY_UTILISATION - utilisation) / HEALTHY_UTILISATION, 0, 1);
    return {
      value: Math.round(utilisation * 100) / 100,
      baseline: HEALTHY_UTILISATION,
      severity,
      message: `${activeUsers28} of ${plural(seats, 'seat')} active ${beforeToday(28)} (${percent(utilisation)})`,
    };
  },
};
