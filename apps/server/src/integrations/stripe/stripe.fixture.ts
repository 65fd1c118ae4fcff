import type { StripeSubscription } from './stripe-objects.types.js';

export const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * A Stripe subscription as a recent API version writes it (periods on the items, `discounts`):
 * `unitAmount` in cents a `interval`, for `quantity` seats.
 */
export function stripeSubscription(options: {
  id?: string;
  customer?: string;
  status?: string;
  start: string;
  periodEnd: string;
  unitAmount?: number;
  quantity?: number;
  interval?: 'month' | 'year';
  nickname?: string;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: string;
  endedAt?: string;
  trialEnd?: string;
  feedback?: string;
  comment?: string;
  metadata?: Record<string, string>;
  percentOff?: number;
}): StripeSubscription {
  return {
    id: options.id ?? 'sub_1',
    object: 'subscription',
    customer: options.customer ?? 'cus_1',
    status: options.status ?? 'active',
    start_date: seconds(options.start),
    created: seconds(options.start),
    trial_end: options.trialEnd ? seconds(options.trialEnd) : null,
    cancel_at_period_end: options.cancelAtPeriodEnd ?? false,
    cancel_at: null,
    canceled_at: options.canceledAt ? seconds(options.canceledAt) : null,
    ended_at: options.endedAt ? seconds(options.endedAt) : null,
    cancellation_details: {
      reason: options.canceledAt ? 'cancellation_requested' : null,
      feedback: options.feedback ?? null,
      comment: options.comment ?? null,
    },
    discounts: options.percentOff
      ? [
          {
            id: 'di_1',
            source: {
              coupon: { id: 'co_1', percent_off: options.percentOff, duration: 'forever' },
            },
            end: null,
          },
        ]
      : [],
    metadata: options.metadata ?? {},
    items: {
      data: [
        {
          id: 'si_1',
          quantity: options.quantity ?? 1,
          current_period_end: seconds(options.periodEnd),
          price: {
            id: `price_${options.nickname ?? 'pro'}`,
            nickname: options.nickname ?? 'pro',
            unit_amount: options.unitAmount ?? 10_000,
            currency: 'usd',
            recurring: { interval: options.interval ?? 'month', interval_count: 1 },
            product: 'prod_1',
          },
        },
      ],
    },
  };
}

let counter = 0;

/** A Stripe event around `object`, created at `at`. */
export function stripeEvent(type: string, at: string, object: unknown, id?: string) {
  counter += 1;
  return {
    id: id ?? `evt_${counter}_${Math.random().toString(36).slice(2, 10)}`,
    object: 'event',
    type,
    created: seconds(at),
    livemode: false,
    api_version: '2025-09-30.clover',
    data: { object },
  };
}
