import { describe, expect, it } from 'vitest';
import { monthlyRevenue } from './monthly-revenue.js';
import { stripeSubscription } from './stripe.fixture.js';

const at = Date.UTC(2025, 0, 1) / 1000;

describe('monthlyRevenue', () => {
  it('is price × quantity a month: yearly prices / 12, percentage discounts off', () => {
    const monthly = stripeSubscription({
      start: '2025-01-01',
      periodEnd: '2025-02-01',
      unitAmount: 4_900,
      quantity: 3,
    });
    expect(monthlyRevenue(monthly, at)).toBe(147);
    const yearly = stripeSubscription({
      start: '2025-01-01',
      periodEnd: '2026-01-01',
      unitAmount: 120_000,
      interval: 'year',
    });
    expect(monthlyRevenue(yearly, at)).toBe(100);
    const discounted = stripeSubscription({
      start: '2025-01-01',
      periodEnd: '2025-02-01',
      unitAmount: 10_000,
      percentOff: 25,
    });
    expect(monthlyRevenue(discounted, at)).toBe(75);
  });

  it('spreads an amount-off coupon over the interval and ignores one-off and expired ones', () => {
    const subscription = stripeSubscription({
      start: '2025-01-01',
      periodEnd: '2026-01-01',
      unitAmount: 120_000,
      interval: 'year',
    });
    subscription.discount = {
      id: 'di_a',
      coupon: { amount_off: 24_000, currency: 'usd', duration: 'forever' },
      end: null,
    };
    subscription.discounts = [
      { id: 'di_b', coupon: { percent_off: 50, duration: 'once' } },
      { id: 'di_c', coupon: { percent_off: 50, duration: 'repeating' }, end: at - 1 },
    ];
    expect(monthlyRevenue(subscription, at)).toBe(80);
  });

  it('counts zero-decimal currencies in whole units', () => {
    const subscription = stripeSubscription({
      start: '2025-01-01',
      periodEnd: '2025-02-01',
      unitAmount: 5_000,
    });
    subscription.items!.data![0]!.price!.currency = 'jpy';
    expect(monthlyRevenue(subscription, at)).toBe(5_000);
  });
});
