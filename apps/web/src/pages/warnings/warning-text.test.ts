import { describe, expect, it } from 'vitest';
import type { Alert } from '../../api/api.types.js';
import { warningReason, warningText } from './warning-text.js';

const alert = (type: Alert['type'], transition: Alert['transition']): Alert => ({
  id: `whd_${type}`,
  type,
  detectedAt: '2026-11-22T14:24:21.164Z',
  account: { id: 'acme', name: 'Acme', plan: 'pro', mrr: 400 },
  transition,
  risk: {
    score: 64,
    tier: 'at_risk',
    topFactors: [
      {
        key: 'days_since_last_login',
        value: 31,
        baseline: 21,
        contribution: 35,
        message: 'No login for 31 days (threshold 21)',
      },
    ],
  },
});

describe('warningText', () => {
  it('says what happened to the account, in words, with the main reason', () => {
    const worse = alert('tier_worsened', { from: 'healthy', to: 'at_risk' });
    expect(warningText(worse)).toBe('entered at risk (from healthy); score 64');
    expect(warningReason(worse)).toBe('No login for 31 days (threshold 21)');
    expect(warningReason({ ...worse, risk: { ...worse.risk, topFactors: [] } })).toBeNull();
  });

  it('reads the score jump, inactivity and milestone transitions the detector sends', () => {
    expect(
      [
        alert('score_increased', { fromScore: 40, toScore: 62, increase: 22 }),
        alert('inactive', { daysSinceLastLogin: 22, threshold: 21 }),
        alert('inactive', { daysSinceLastLogin: null, threshold: 21 }),
        alert('milestone_reached', { milestone: 'first_report', reachedAt: '2026-11-20' }),
      ].map(warningText),
    ).toEqual([
      'risk score jumped from 40 to 62; score 64',
      'went inactive: no login for 22 days (threshold 21); score 64',
      'went inactive: no login for many days (threshold 21); score 64',
      'reached a milestone: first_report; score 64',
    ]);
  });
});
