import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../api/api.types.js';
import { warningOf } from './warning-text.js';

const delivery = (kind: string, payload: unknown): WebhookDelivery => ({
  id: `whd_${kind}`,
  kind,
  accountId: 'acme',
  status: 'delivered',
  createdAt: '2026-11-22T14:24:21.164Z',
  deliveredAt: '2026-11-22T14:24:21.400Z',
  lastError: null,
  payload,
  attempts: [],
});

describe('warningOf', () => {
  it('says what happened to the account, in words, with the main reason', () => {
    const warning = warningOf(
      delivery('account.tier_worsened', {
        type: 'account.tier_worsened',
        account: { id: 'acme', name: 'Acme' },
        transition: { from: 'healthy', to: 'at_risk' },
        risk: { score: 64, topFactors: [{ message: 'No login for 31 days (threshold 21)' }] },
      }),
    );
    expect(warning).toMatchObject({
      kind: 'tier_worsened',
      accountId: 'acme',
      accountName: 'Acme',
      text: 'entered at risk (from healthy); score 64',
      reason: 'No login for 31 days (threshold 21)',
    });
  });

  it('reads the score jump, inactivity and milestone transitions the detector sends', () => {
    const texts = [
      delivery('account.score_increased', {
        transition: { fromScore: 40, toScore: 62, increase: 22 },
      }),
      delivery('account.inactive', { transition: { daysSinceLastLogin: 22, threshold: 21 } }),
      delivery('account.milestone_reached', { transition: { milestone: 'first_report' } }),
    ].map((d) => warningOf(d).text);
    expect(texts).toEqual([
      'risk score jumped from 40 to 62',
      'went inactive: no login for 22 days (threshold 21)',
      'reached a milestone: first_report',
    ]);
  });
});
