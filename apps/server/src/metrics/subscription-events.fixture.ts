import type { SubscriptionEventRow } from './subscription-history.js';

/** An instant from an ISO date (midnight UTC) or timestamp. */
export const at = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/** One stored subscription event, as `subscriptionSpans` reads it. */
export function event(
  accountId: string,
  when: string,
  name: 'started' | 'changed' | 'renewed' | 'cancelled',
  details: Partial<Omit<SubscriptionEventRow, 'accountId' | 'at' | 'event' | 'endsAt'>> & {
    endsAt?: string;
  } = {},
): SubscriptionEventRow {
  return {
    accountId,
    at: at(when),
    event: `subscription_${name}`,
    plan: details.plan ?? null,
    mrr: details.mrr ?? null,
    interval: details.interval ?? null,
    endsAt: details.endsAt ? at(details.endsAt) : null,
    reason: details.reason ?? null,
  };
}
