import type { RiskTier } from '../api/api.types.js';
import { TIER_LABELS } from './format.js';

export function TierBadge({ tier }: { tier: RiskTier }) {
  return <span class={`tier tier-${tier}`}>{TIER_LABELS[tier] ?? tier}</span>;
}
