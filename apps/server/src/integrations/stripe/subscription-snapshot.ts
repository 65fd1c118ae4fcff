import { billingMonths, monthlyRevenue } from './monthly-revenue.js';
import type { StripeSubscription, StripeSubscriptionItem } from './stripe-objects.types.js';

/** What Tenure needs from a Stripe subscription at one moment. Times in ms. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  customerId: string;
  /** Stripe's status, read as: a trial, a paying customer, or over (nothing yet: incomplete). */
  phase: 'trial' | 'active' | 'ended' | 'incomplete';
  plan: string;
  mrr: number;
  seats: number;
  interval: 'month' | 'year';
  startedAt: number;
  trialEnd: number | null;
  /** A notice: the subscription ends at `endsAt` unless the customer changes their mind. */
  noticeEndsAt: number | null;
  canceledAt: number | null;
  endedAt: number | null;
  reason: string;
  feedback: string | null;
  metadata: Record<string, string>;
}

const ms = (seconds: number | null | undefined) => (seconds == null ? null : seconds * 1000);

const PHASES: Record<string, SubscriptionSnapshot['phase']> = {
  trialing: 'trial',
  active: 'active',
  // Payment trouble: still a customer until Stripe cancels the subscription.
  past_due: 'active',
  unpaid: 'active',
  canceled: 'ended',
  incomplete_expired: 'ended',
  // A paused subscription brings no revenue; resuming it is a return.
  paused: 'ended',
  incomplete: 'incomplete',
};

/** The plan's name: the main item's price nickname, product name, lookup key, or id. */
function planName(item: StripeSubscriptionItem | undefined): string {
  const price = item?.price ?? item?.plan;
  if (!price) return 'unknown';
  const product = price.product;
  const productName = product && typeof product === 'object' ? product.name : null;
  const productId = typeof product === 'string' ? product : (product?.id ?? null);
  return price.nickname || productName || price.lookup_key || productId || price.id;
}

function mainItem(subscription: StripeSubscription): StripeSubscriptionItem | undefined {
  const items = subscription.items?.data ?? [];
  return items.reduce<StripeSubscriptionItem | undefined>(
    (best, item) =>
      !best ||
      (item.price?.unit_amount ?? 0) * (item.quantity ?? 1) >
        (best.price?.unit_amount ?? 0) * (best.quantity ?? 1)
        ? item
        : best,
    undefined,
  );
}

/**
 * Reads a Stripe subscription (any API version) at `atSeconds`. `cancel_at_period_end` (or a
 * `cancel_at`) on a running subscription is a notice with `endsAt`; the cancellation
 * details' `feedback` (the customer's choice, e.g. `too_expensive`), else their `reason`
 * (`payment_failed`, ...), is the churn reason, and the free-text `comment` the feedback.
 */
export function subscriptionSnapshot(
  subscription: StripeSubscription,
  atSeconds: number,
): SubscriptionSnapshot {
  const item = mainItem(subscription);
  const customer = subscription.customer;
  const periodEnd =
    subscription.current_period_end ?? subscription.items?.data?.[0]?.current_period_end ?? null;
  const phase = PHASES[subscription.status] ?? 'active';
  const noticeSeconds =
    phase === 'ended'
      ? null
      : (subscription.cancel_at ?? (subscription.cancel_at_period_end ? periodEnd : null));
  const details = subscription.cancellation_details;
  return {
    subscriptionId: subscription.id,
    customerId: typeof customer === 'string' ? customer : customer.id,
    phase,
    plan: planName(item),
    mrr: monthlyRevenue(subscription, atSeconds),
    seats: (subscription.items?.data ?? []).reduce((sum, i) => sum + (i.quantity ?? 1), 0),
    interval: billingMonths(subscription) >= 12 ? 'year' : 'month',
    startedAt: ms(subscription.start_date ?? subscription.created ?? atSeconds)!,
    trialEnd: ms(subscription.trial_end),
    noticeEndsAt: ms(noticeSeconds),
    canceledAt: ms(subscription.canceled_at),
    endedAt: ms(subscription.ended_at),
    reason: details?.feedback || details?.reason || 'cancellation_requested',
    feedback: details?.comment || null,
    metadata: subscription.metadata ?? {},
  };
}
