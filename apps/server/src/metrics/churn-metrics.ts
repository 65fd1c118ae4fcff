import { nextPeriod, type Period, periodLabel, periodStart } from '../time/calendar.js';
import { activeAt, type SubscriptionSpan, stepBefore } from './subscription-history.js';

export type ChurnGroupBy = 'plan' | 'size' | 'tenure' | 'interval';

export interface ChurnCounts {
  customersAtStart: number;
  new: number;
  /** Of `new`: accounts returning after an earlier subscription ended. */
  reactivated: number;
  churned: number;
  customersAtEnd: number;
  startMrr: number;
  newMrr: number;
  churnedMrr: number;
  contractionMrr: number;
  expansionMrr: number;
}

export interface ChurnRates {
  logoChurnRate: number | null;
  revenueChurnRate: number | null;
  contractionRate: number | null;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
}

export type ChurnRow = ChurnCounts & ChurnRates;

export interface PeriodChurn extends ChurnRow {
  period: string;
  start: string;
  end: string;
  /** The period is not over at `asOf`: counts run up to `asOf`. */
  partial: boolean;
  groups?: Array<ChurnRow & { group: string }>;
}

export interface ChurnOptions {
  from: number;
  to: number;
  period: Period;
  asOf: number;
  /** Group label of a span at an instant; absent: totals only. */
  groupOf?: ((span: SubscriptionSpan, at: number) => string) | undefined;
}

const emptyCounts = (): ChurnCounts => ({
  customersAtStart: 0,
  new: 0,
  reactivated: 0,
  churned: 0,
  customersAtEnd: 0,
  startMrr: 0,
  newMrr: 0,
  churnedMrr: 0,
  contractionMrr: 0,
  expansionMrr: 0,
});

/** part / whole to four decimals; null when there is nothing to divide by (never NaN or ∞). */
export function ratio(part: number, whole: number): number | null {
  const value = part / whole;
  return whole > 0 && Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : null;
}

function withRates(counts: ChurnCounts): ChurnRow {
  const { startMrr, churnedMrr, contractionMrr, expansionMrr } = counts;
  return {
    ...counts,
    logoChurnRate: ratio(counts.churned, counts.customersAtStart),
    revenueChurnRate: ratio(churnedMrr, startMrr),
    contractionRate: ratio(contractionMrr, startMrr),
    grossRevenueRetention: ratio(startMrr - churnedMrr - contractionMrr, startMrr),
    netRevenueRetention: ratio(startMrr - churnedMrr - contractionMrr + expansionMrr, startMrr),
  };
}

/**
 * Adds one span's part in the period [start, limit) to `counts`:
 * - customers at start: spans that began before the period and had not ended at its start;
 *   joiners during the period are never in this denominator;
 * - churned: of those, the ones whose subscription ended within the period (at `limit` at the
 *   latest); their MRR at the period start is churned MRR;
 * - contraction and expansion: the MRR change from the period start to its end of the
 *   customers at start who did not churn;
 * - new: spans beginning in the period (reactivations included), with their first MRR.
 */
function countSpan(counts: ChurnCounts, span: SubscriptionSpan, start: number, limit: number) {
  if (activeAt(span, start)) {
    const startMrr = stepBefore(span, start + 1).mrr;
    counts.customersAtStart += 1;
    counts.startMrr += startMrr;
    if (span.end !== null && span.end <= limit) {
      counts.churned += 1;
      counts.churnedMrr += startMrr;
    } else {
      const endMrr = stepBefore(span, limit).mrr;
      if (endMrr < startMrr) counts.contractionMrr += startMrr - endMrr;
      if (endMrr > startMrr) counts.expansionMrr += endMrr - startMrr;
    }
  } else if (span.start >= start && span.start < limit) {
    counts.new += 1;
    if (span.reactivation) counts.reactivated += 1;
    counts.newMrr += span.steps[0]!.mrr;
  }
  if (activeAt(span, limit)) counts.customersAtEnd += 1;
}

/**
 * Churn metrics per calendar period from `from` to `to` (periods overlapping the range),
 * computed from subscription spans as of `asOf`. Groups, when asked, are taken at the period
 * start for customers at start and at their start for new customers.
 */
export function churnByPeriod(
  spans: readonly SubscriptionSpan[],
  options: ChurnOptions,
): PeriodChurn[] {
  const rows: PeriodChurn[] = [];
  const last = Math.min(options.to, options.asOf);
  for (let start = periodStart(options.from, options.period); start <= last; ) {
    const end = nextPeriod(start, options.period);
    const limit = Math.min(end, options.asOf);
    const totals = emptyCounts();
    const groups = new Map<string, ChurnCounts>();
    for (const span of spans) {
      // A customer at the period end was either one at its start or began during it.
      if (!activeAt(span, start) && !(span.start >= start && span.start < limit)) continue;
      countSpan(totals, span, start, limit);
      if (options.groupOf) {
        const label = options.groupOf(span, Math.max(start, span.start));
        const group = groups.get(label) ?? emptyCounts();
        countSpan(group, span, start, limit);
        groups.set(label, group);
      }
    }
    rows.push({
      period: periodLabel(start, options.period),
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      partial: end > options.asOf,
      ...withRates(totals),
      ...(options.groupOf && {
        groups: [...groups.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([group, counts]) => ({ group, ...withRates(counts) })),
      }),
    });
    start = end;
  }
  return rows;
}
