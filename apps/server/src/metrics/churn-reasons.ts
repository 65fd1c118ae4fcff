import type { SubscriptionSpan } from './subscription-history.js';
import { stepBefore } from './subscription-history.js';

export interface ChurnReason {
  reason: string;
  cancellations: number;
  /** MRR the cancelled subscriptions had when they ended. */
  lostMrr: number;
}

/**
 * Cancellations that took effect after `from` and by `to` (and by `asOf`), by reason, most
 * frequent first; optionally only those on `plan` when they ended. Withdrawn notices do not
 * count. The window is (from, to], like a churn period: a subscription ending at the first
 * instant of October churned in September (it is not among October's starting customers).
 */
export function churnReasons(
  spans: readonly SubscriptionSpan[],
  options: { from: number; to: number; asOf: number; plan?: string | undefined },
): ChurnReason[] {
  const reasons = new Map<string, ChurnReason>();
  const until = Math.min(options.to, options.asOf);
  for (const span of spans) {
    if (span.end === null || !span.cancellation) continue;
    if (span.end <= options.from || span.end > until) continue;
    const last = stepBefore(span, span.end);
    if (options.plan !== undefined && last.plan !== options.plan) continue;
    const reason = span.cancellation.reason ?? '(none)';
    const entry = reasons.get(reason) ?? { reason, cancellations: 0, lostMrr: 0 };
    entry.cancellations += 1;
    entry.lostMrr += last.mrr;
    reasons.set(reason, entry);
  }
  return [...reasons.values()].sort(
    (a, b) =>
      b.cancellations - a.cancellations ||
      b.lostMrr - a.lostMrr ||
      a.reason.localeCompare(b.reason),
  );
}
