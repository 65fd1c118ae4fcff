import type { Alert } from '../../api/api.types.js';

const tier = (value: string | undefined) => (value ?? '?').replace('_', ' ');

/** What happened to the account, in words: "entered critical (from healthy); score 100". */
export function warningText(alert: Alert): string {
  const { transition } = alert;
  const text =
    alert.type === 'tier_worsened'
      ? `entered ${tier(transition.to)} (from ${tier(transition.from)})`
      : alert.type === 'score_increased'
        ? `risk score jumped from ${transition.fromScore ?? '?'} to ${transition.toScore ?? '?'}`
        : alert.type === 'inactive'
          ? `went inactive: no login for ${transition.daysSinceLastLogin ?? 'many'} days (threshold ${transition.threshold ?? '?'})`
          : `reached a milestone${transition.milestone ? `: ${transition.milestone}` : ''}`;
  return `${text}; score ${alert.risk.score}`;
}

/** The main reason behind the score when the transition happened, if any. */
export function warningReason(alert: Alert): string | null {
  return alert.risk.topFactors[0]?.message ?? null;
}
