import { RISK_TIERS, type TierSummary } from '../../api/api.types.js';
import { formatMoney, TIER_LABELS } from '../../ui/format.js';

/** MRR and accounts per tier, over all current accounts: how much revenue each tier holds. */
export function RevenueAtRisk({ summary }: { summary: TierSummary | null }) {
  return (
    <section class="revenue-at-risk" aria-labelledby="revenue-at-risk-title">
      <h2 id="revenue-at-risk-title">Revenue at risk</h2>
      <ul class="tier-cards">
        {RISK_TIERS.map((tier) => {
          const { accounts, mrr } = summary?.tiers[tier] ?? { accounts: 0, mrr: 0 };
          return (
            <li key={tier} class={`tier-card tier-card-${tier}`}>
              <a href={`#/accounts?tier=${tier}`}>
                <span class="tier-card-label">{TIER_LABELS[tier]}</span>
                <strong data-testid={`mrr-${tier}`}>{summary ? formatMoney(mrr) : '…'}</strong>
                <span>
                  {summary ? `${accounts} accounts` : ''}
                  {summary?.mrr ? ` · ${Math.round((mrr / summary.mrr) * 100)}% of MRR` : ''}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
