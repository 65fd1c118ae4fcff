/**
 * The parts of Stripe objects Tenure reads, loosely typed: webhook payloads arrive in the API
 * version of the endpoint, so both the older fields (`current_period_end` and `discount` on the
 * subscription, `coupon` on a discount) and the newer ones (`current_period_end` on items,
 * `discounts`, `source.coupon`) are read.
 */
export interface StripeCoupon {
  id?: string;
  percent_off?: number | null;
  amount_off?: number | null;
  currency?: string | null;
  duration?: 'once' | 'repeating' | 'forever';
}

export interface StripeDiscount {
  id?: string;
  coupon?: StripeCoupon | string | null;
  source?: { coupon?: StripeCoupon | string | null } | null;
  end?: number | null;
}

export interface StripePrice {
  id: string;
  nickname?: string | null;
  lookup_key?: string | null;
  unit_amount?: number | null;
  unit_amount_decimal?: string | null;
  currency?: string;
  recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number } | null;
  product?: string | { id?: string; name?: string | null } | null;
}

export interface StripeSubscriptionItem {
  id?: string;
  quantity?: number | null;
  price?: StripePrice | null;
  /** Older API versions put the price here as `plan`. */
  plan?: (StripePrice & { amount?: number | null; interval?: string }) | null;
  current_period_end?: number | null;
  discounts?: (StripeDiscount | string)[] | null;
}

export interface StripeCustomer {
  id: string;
  object?: 'customer';
  deleted?: boolean;
  name?: string | null;
  email?: string | null;
  metadata?: Record<string, string> | null;
  created?: number;
}

export interface StripeSubscription {
  id: string;
  object?: 'subscription';
  customer: string | StripeCustomer;
  status: string;
  start_date?: number | null;
  created?: number;
  trial_start?: number | null;
  trial_end?: number | null;
  cancel_at_period_end?: boolean | null;
  cancel_at?: number | null;
  canceled_at?: number | null;
  ended_at?: number | null;
  current_period_start?: number | null;
  current_period_end?: number | null;
  cancellation_details?: {
    reason?: string | null;
    feedback?: string | null;
    comment?: string | null;
  } | null;
  discount?: StripeDiscount | null;
  discounts?: (StripeDiscount | string)[] | null;
  items?: { data?: StripeSubscriptionItem[] } | null;
  metadata?: Record<string, string> | null;
}

export interface StripeInvoice {
  id: string;
  object?: 'invoice';
  customer?: string | StripeCustomer | null;
  billing_reason?: string | null;
  subscription?: string | { id: string } | null;
  parent?: {
    subscription_details?: { subscription?: string | { id: string } | null } | null;
  } | null;
  period_start?: number | null;
  status_transitions?: { paid_at?: number | null } | null;
  lines?: { data?: { period?: { start?: number; end?: number } }[] } | null;
}

export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}
