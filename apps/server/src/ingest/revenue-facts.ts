import type { Message } from '@tenure/schema';

/**
 * Account and user traits that churn metrics and risk read as revenue or contract facts:
 * MRR, seats, billing interval, churn status and date, and the subscription start (`createdAt`
 * of an account is the start of its first term). `name` and the `plan` label stay descriptive.
 */
export const REVENUE_TRAITS: ReadonlySet<string> = new Set([
  'mrr',
  'seats',
  'interval',
  'status',
  'churnedAt',
  'createdAt',
]);

/** `subscription_started`, `_changed`, `_renewed`, `_cancelled`, and any later one. */
export function isRevenueEvent(message: Message): boolean {
  return message.type === 'track' && message.event.startsWith('subscription_');
}

/**
 * The message without the revenue traits a public key may not set, and the names it left out.
 * Only `group` and `identify` carry traits.
 */
export function withoutRevenueTraits(message: Message): { message: Message; removed: string[] } {
  if ((message.type !== 'group' && message.type !== 'identify') || !message.traits) {
    return { message, removed: [] };
  }
  const removed = Object.keys(message.traits).filter((name) => REVENUE_TRAITS.has(name));
  if (removed.length === 0) return { message, removed };
  const traits = Object.fromEntries(
    Object.entries(message.traits).filter(([name]) => !REVENUE_TRAITS.has(name)),
  );
  return { message: { ...message, traits }, removed };
}
