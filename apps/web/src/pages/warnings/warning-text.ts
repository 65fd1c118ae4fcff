import type { WebhookDelivery } from '../../api/api.types.js';

interface AlertPayload {
  type?: string;
  account?: { id?: string; name?: string | null };
  transition?: {
    from?: string | null;
    to?: string | null;
    fromScore?: number;
    toScore?: number;
    daysSinceLastLogin?: number | null;
    threshold?: number;
    milestone?: string;
  };
  risk?: { score?: number; topFactors?: { message?: string }[] };
}

export interface Warning {
  id: string;
  at: string;
  kind: string;
  accountId: string | null;
  accountName: string | null;
  text: string;
  reason: string | null;
}

const tier = (value: unknown) => String(value ?? '?').replace('_', ' ');

/** One delivery's transition in words: "entered critical (from healthy), score 100". */
export function warningOf(delivery: WebhookDelivery): Warning {
  const payload = (delivery.payload ?? {}) as AlertPayload;
  const kind = (payload.type ?? delivery.kind).replace(/^account\./, '');
  const score = payload.risk?.score;
  const transition = payload.transition ?? {};
  const text =
    kind === 'tier_worsened'
      ? `entered ${tier(transition.to)} (from ${tier(transition.from)})`
      : kind === 'score_increased'
        ? `risk score jumped from ${transition.fromScore ?? '?'} to ${transition.toScore ?? '?'}`
        : kind === 'inactive'
          ? `went inactive: no login for ${transition.daysSinceLastLogin ?? 'many'} days (threshold ${transition.threshold ?? '?'})`
          : kind === 'milestone_reached'
            ? `reached a milestone${transition.milestone ? `: ${transition.milestone}` : ''}`
            : kind.replace(/_/g, ' ');
  return {
    id: delivery.id,
    at: delivery.createdAt,
    kind,
    accountId: payload.account?.id ?? delivery.accountId,
    accountName: payload.account?.name ?? null,
    text: score === undefined ? text : `${text}; score ${score}`,
    reason: payload.risk?.topFactors?.[0]?.message ?? null,
  };
}
