import { plural, type RiskFactorDefinition } from './factor.js';

/**
 * Support requests not followed by successful activity: no login or feature use in the 7 days
 * after a ticket was opened (90-day window). The research names this signal explicitly: the
 * customer asked for help and then stopped, so the help did not land. 10 points from 2 such
 * tickets.
 */
export const ticketFollowUpFactor: RiskFactorDefinition = {
  key: 'tickets_without_follow_up',
  weight: 10,
  read({ ticketsWithoutFollowUp90, ticketsOpened90 }) {
    const count = ticketsWithoutFollowUp90;
    let message = `${plural(count, 'ticket')} in 90 days not followed by any login or feature use within 7 days`;
    if (count === 0) {
      message =
        ticketsOpened90 === 0
          ? 'No tickets in 90 days'
          : 'Every recent ticket was followed by activity within 7 days';
    }
    return { value: count, baseline: 0, severity: Math.min(1, count / 2), message };
  },
};
