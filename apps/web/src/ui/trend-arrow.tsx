import type { RiskTrend } from '../api/api.types.js';

/** ↑ when risk is rising (worse), ↓ when falling, → when stable; the change in words for readers. */
export function TrendArrow({ trend }: { trend: RiskTrend }) {
  if (!trend.direction)
    return (
      <span class="trend" role="img" aria-label="no trend yet">
        ·
      </span>
    );
  const arrow = { rising: '↑', falling: '↓', stable: '→' }[trend.direction];
  const change = trend.change ?? 0;
  const label = `${trend.direction}${change ? ` ${change > 0 ? '+' : ''}${change} in a week` : ''}`;
  return (
    <span class={`trend trend-${trend.direction}`} title={label} role="img" aria-label={label}>
      {arrow}
      {change ? <small>{change > 0 ? `+${change}` : change}</small> : null}
    </span>
  );
}
