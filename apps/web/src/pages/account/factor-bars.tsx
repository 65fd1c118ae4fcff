import type { AccountRisk } from '../../api/api.types.js';
import { humanize } from '../../ui/format.js';

/**
 * Each factor's points as a bar with its message: the score is their sum, so the longest bar
 * is the main reason. Protective factors (negative points) are drawn to the left in green.
 */
export function FactorBars({ risk }: { risk: AccountRisk }) {
  const factors = risk.factors.filter((factor) => factor.contribution !== 0);
  const largest = Math.max(1, ...factors.map((factor) => Math.abs(factor.contribution)));
  if (factors.length === 0) return <p class="empty">No factor adds to this score.</p>;
  return (
    <ul class="factor-bars" data-testid="factor-bars">
      {factors.map((factor) => (
        <li key={factor.key} data-factor={factor.key} data-points={factor.contribution}>
          <div class="factor-head">
            <span class="factor-name">{humanize(factor.key)}</span>
            <span class="num">
              {factor.contribution > 0 ? '+' : ''}
              {Math.round(factor.contribution * 10) / 10} pts
            </span>
          </div>
          <div class="bar-track" aria-hidden="true">
            <div
              class={factor.contribution > 0 ? 'bar bar-risk' : 'bar bar-protect'}
              style={{ width: `${(Math.abs(factor.contribution) / largest) * 100}%` }}
            />
          </div>
          <p class="factor-message">{factor.message}</p>
        </li>
      ))}
    </ul>
  );
}
