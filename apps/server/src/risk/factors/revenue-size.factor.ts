import type { RiskFactorDefinition } from './factor.js';

/**
 * MRR size band. Many small customers churn more than few large ones (the research asks to
 * segment by size for that reason): small accounts have less invested, and larger ones have a
 * CSM and more users. 3 points below the smallest band (settings.sizeBands), 1.5 off above
 * the largest.
 */
export const revenueSizeFactor: RiskFactorDefinition = {
  key: 'mrr',
  weight: 3,
  read({ mrr }, { sizeBands }) {
    const smallest = sizeBands[0] ?? 100;
    const largest = sizeBands[sizeBands.length - 1] ?? smallest;
    if (mrr === null) {
      return { value: null, baseline: smallest, severity: 0, message: 'MRR unknown' };
    }
    const amount = Math.round(mrr);
    if (mrr < smallest) {
      return {
        value: mrr,
        baseline: smallest,
        severity: 1,
        message: `MRR ${amount}: smallest size band (under ${smallest})`,
      };
    }
    if (mrr >= largest) {
      return {
        value: mrr,
        baseline: smallest,
        severity: -0.5,
        message: `MRR ${amount}: largest size band (${largest} and up)`,
      };
    }
    return { value: mrr, baseline: smallest, severity: 0, message: `MRR ${amount}` };
  },
};
