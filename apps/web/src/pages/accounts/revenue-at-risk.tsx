import { type AccountListItem, RISK_TIERS } from '../../api/api.types.js';
import { formatMoney, TIER_LABELS } from '../../ui/format.js';

/** MRR and accounts per tier, over all current accounts: how much revenue each tier holds. */
export function RevenueAtRisk({ accounts }: { accounts: readonly AccountListItem[] | null }) {
  const totals = RISK_TIERS.map((tier) => {
    const inTier = accounts?.filter((account) => account.tier === tier) ?? [];
    return {
      tier,
      count: inTier.length,
      mrr: inTier.reduce((sum, account) => sum + (account.mrr ?? 0), 0),
    };
  });
  const total = totals.reduce((sum, tier) => sum + tier.mrr, 0);
  return (
    <section class="revenue-at-risk" aria-labelledby="revenue-at-risk-title">
      <h2 id="revenue-at-risk-title">Revenue at risk</h2>
      <ul class="tier-cards">
        {totals.map(({ tier, count, mrr }) => (
          <li key={tier} class={`tier-card tier-card-${tier}`}>
            <a href={`#/accounts?tier=${tier}`}>
              <span class="tier-card-label">{TIER_LABELS[tier]}</span>
              <strong data-testid={`mrr-${tier}`}>{accounts ? formatMoney(mrr) : '…'}</strong>
              <span>
                {accounts ? `${count} accounts` : ''}
                {accounts && total ? ` · ${Math.round((mrr / total) * 100)}% of MRR` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
