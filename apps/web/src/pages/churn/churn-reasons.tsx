import type { ChurnReasons as Reasons } from '../../api/api.types.js';
import { formatMoney, humanize } from '../../ui/format.js';

/** Why customers left: cancellations by reason, with the MRR they took, largest loss first. */
export function ChurnReasons({ report }: { report: Reasons }) {
  const reasons = [...report.reasons].sort((a, b) => b.lostMrr - a.lostMrr);
  const largest = Math.max(1, ...reasons.map((reason) => reason.lostMrr));
  if (reasons.length === 0) return <p class="empty">No cancellations in this range.</p>;
  return (
    <ul class="factor-bars" data-testid="churn-reasons">
      {reasons.map((reason) => (
        <li key={reason.reason}>
          <div class="factor-head">
            <span class="factor-name">{humanize(reason.reason)}</span>
            <span class="num">
              {reason.cancellations} · {formatMoney(reason.lostMrr)} MRR
            </span>
          </div>
          <div class="bar-track" aria-hidden="true">
            <div class="bar bar-risk" style={{ width: `${(reason.lostMrr / largest) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
