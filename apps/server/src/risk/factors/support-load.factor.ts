import { plural, type RiskFactorDefinition } from './factor.js';

/**
 * Support load and outcomes: tickets still open, tickets resolved without satisfaction, and an
 * unusual number of new tickets in 90 days. Rising support friction accompanies the decay in
 * the research; an unsatisfied resolution weighs more than an open ticket because the customer
 * has already been let down once. 10 points at full severity (e.g. 4 open tickets, or 2
 * unsatisfied resolutions and 1 open).
 */
export const supportLoadFactor: RiskFactorDefinition = {
  key: 'support_tickets',
  weight: 10,
  read({ ticketsOpen, ticketsUnsatisfied90, ticketsOpened90 }) {
    const severity = Math.min(
      1,
      0.25 * ticketsOpen + 0.375 * ticketsUnsatisfied90 + 0.05 * Math.max(0, ticketsOpened90 - 2),
    );
    const parts = [`${plural(ticketsOpen, 'unresolved ticket')}`];
    if (ticketsUnsatisfied90 > 0) parts.push(`${ticketsUnsatisfied90} resolved unsatisfied`);
    parts.push(`${ticketsOpened90} opened in 90 days`);
    return { value: ticketsOpen, baseline: 0, severity, message: parts.join(', ') };
  },
};
