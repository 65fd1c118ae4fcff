import type { AccountRisk } from '../../api/api.types.js';
import { humanize } from '../../ui/format.js';

/** The plays tied to the factors: what a CSM can do this week. */
export function Recommendations({ risk }: { risk: AccountRisk }) {
  if (risk.recommendations.length === 0) {
    return <p class="empty">Nothing to do: no factor calls for a play.</p>;
  }
  return (
    <ol class="recommendations">
      {risk.recommendations.map((recommendation) => (
        <li key={`${recommendation.factor}-${recommendation.action}`}>
          <strong>{humanize(recommendation.action)}</strong>
          <span>{recommendation.message}</span>
        </li>
      ))}
    </ol>
  );
}
