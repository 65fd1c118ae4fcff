import { addMonths, periodLabel, periodStart } from '../time/calendar.js';
import { ratio } from './churn-metrics.js';
import { activeAt, type SubscriptionSpan, stepBefore } from './subscription-history.js';

export type RetentionBasis = 'logo' | 'revenue';

export interface Cohort {
  /** The month the cohort's accounts first became customers, e.g. '2026-03'. */
  cohort: string;
  accounts: number;
  /** The cohort's MRR when each account started. */
  startMrr: number;
  /**
   * retention[k]: at the end of the k-th month after the cohort month (k = 0: the end of the
   * cohort month itself), the share of the cohort's accounts still customers (logo), or their
   * MRR then over their starting MRR (revenue; above 1 with expansion; null for a cohort
   * without MRR). Months not over at `asOf` are left out.
   */
  retention: Array<number | null>;
}

/**
 * The cohort matrix by month of first subscription. An account that leaves and returns counts
 * as retained again in the months it is a customer.
 */
export function cohortRetention(
  spans: readonly SubscriptionSpan[],
  basis: RetentionBasis,
  asOf: number,
): Cohort[] {
  const byAccount = new Map<string, SubscriptionSpan[]>();
  for (const span of spans) {
    const list = byAccount.get(span.accountId) ?? [];
    list.push(span);
    byAccount.set(span.accountId, list);
  }
  const cohorts = new Map<number, SubscriptionSpan[][]>();
  for (const accountSpans of byAccount.values()) {
    const month = periodStart(accountSpans[0]!.start, 'month');
    if (month > asOf) continue;
    const members = cohorts.get(month) ?? [];
    members.push(accountSpans);
    cohorts.set(month, members);
  }
  return [...cohorts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([month, members]) => {
      const startMrr = members.reduce((sum, [first]) => sum + first!.steps[0]!.mrr, 0);
      const retention: Array<number | null> = [];
      for (let k = 0; addMonths(month, k + 1) <= asOf; k += 1) {
        const at = addMonths(month, k + 1);
        let retained = 0;
        for (const accountSpans of members) {
          const span = accountSpans.find((candidate) => activeAt(candidate, at));
          if (span) retained += basis === 'logo' ? 1 : stepBefore(span, at).mrr;
        }
        retention.push(ratio(retained, basis === 'logo' ? members.length : startMrr));
      }
      return { cohort: periodLabel(month, 'month'), accounts: members.length, startMrr, retention };
    });
}
