import type {
  StripeCoupon,
  StripeDiscount,
  StripePrice,
  StripeSubscription,
  StripeSubscriptionItem,
} from './stripe-objects.types.js';

/**
 * Currencies Stripe counts in whole units (no cents): amounts are not divided by 100.
 * https://docs.stripe.com/currencies#zero-decimal
 */
const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);

/** Months in one billing interval: a year is 12, a week 12/52, a day 12/365. */
const MONTHS_PER_INTERVAL = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 } as const;

const round2 = (value: number) => Math.round(value * 100) / 100;

function priceOf(item: StripeSubscriptionItem): StripePrice | null {
  if (item.price) return item.price;
  const plan = item.plan;
  if (!plan) return null;
  // Legacy plans: `amount` and `interval` at the top level.
  return {
    ...plan,
    unit_amount: plan.unit_amount ?? plan.amount ?? null,
    recurring:
      plan.recurring ??
      (plan.interval ? { interval: plan.interval as 'month', interval_count: 1 } : null),
  };
}

/** One item's revenue a month, in the currency's major unit. Metered/tiered prices are 0. */
export function itemMonthlyAmount(item: StripeSubscriptionItem): number {
  const price = priceOf(item);
  if (!price?.recurring) return 0;
  const unit =
    price.unit_amount ?? (price.unit_amount_decimal ? Number(price.unit_amount_decimal) : 0);
  const minor = ZERO_DECIMAL.has((price.currency ?? 'usd').toLowerCase()) ? 1 : 100;
  const months =
    MONTHS_PER_INTERVAL[price.recurring.interval] * (price.recurring.interval_count ?? 1);
  return (unit * (item.quantity ?? 1)) / minor / months;
}

function couponOf(discount: StripeDiscount | string): StripeCoupon | null {
  if (typeof discount === 'string') return null;
  const coupon = discount.coupon ?? discount.source?.coupon;
  return coupon && typeof coupon === 'object' ? coupon : null;
}

/** The subscription's discounts that still apply at `atSeconds` (a one-off does not recur). */
function recurringCoupons(subscription: StripeSubscription, atSeconds: number): StripeCoupon[] {
  const discounts = [
    ...(subscription.discount ? [subscription.discount] : []),
    ...(subscription.discounts ?? []),
  ];
  const seen = new Set<string>();
  const coupons: StripeCoupon[] = [];
  for (const discount of discounts) {
    const coupon = couponOf(discount);
    if (!coupon || coupon.duration === 'once') continue;
    const end = typeof discount === 'string' ? null : discount.end;
    if (end != null && end <= atSeconds) continue;
    const key = (typeof discount === 'string' ? discount : discount.id) ?? coupon.id ?? '';
    if (key && seen.has(key)) continue;
    seen.add(key);
    coupons.push(coupon);
  }
  return coupons;
}

/** The main billing interval: the one of the largest item. */
export function billingMonths(subscription: StripeSubscription): number {
  let best: { amount: number; months: number } = { amount: -1, months: 1 };
  for (const item of subscription.items?.data ?? []) {
    const price = priceOf(item);
    if (!price?.recurring) continue;
    const amount = itemMonthlyAmount(item);
    if (amount > best.amount) {
      const months =
        MONTHS_PER_INTERVAL[price.recurring.interval] * (price.recurring.interval_count ?? 1);
      best = { amount, months };
    }
  }
  return best.months;
}

/**
 * Monthly recurring revenue of a subscription: Σ unit price × quantity over its items, each
 * normalised to a month (a yearly price / 12, every 3 months / 3, weekly × 52 / 12), in the
 * currency's major unit; then its recurring discounts (`forever`, or `repeating` until their
 * end): a percentage off the total, an amount off each invoice spread over the billing
 * interval. One-off (`once`) discounts are not recurring revenue and are ignored, as are
 * metered and tiered prices, whose amount is not known in advance (documented).
 */
export function monthlyRevenue(subscription: StripeSubscription, atSeconds: number): number {
  let mrr = 0;
  for (const item of subscription.items?.data ?? []) mrr += itemMonthlyAmount(item);
  for (const coupon of recurringCoupons(subscription, atSeconds)) {
    if (coupon.percent_off) mrr *= 1 - coupon.percent_off / 100;
    else if (coupon.amount_off) {
      const minor = ZERO_DECIMAL.has((coupon.currency ?? 'usd').toLowerCase()) ? 1 : 100;
      mrr -= coupon.amount_off / minor / billingMonths(subscription);
    }
  }
  return round2(Math.max(mrr, 0));
}
