import type { AlertTrigger } from '../db/tables/alerts.table.js';
import type { AccountFeatures } from '../risk/account-features.types.js';
import type { AccountRisk } from '../risk/risk.types.js';

/** Every kind of transition detection looks for; the feed records them all. */
export const ALERT_TRIGGERS = [
  'tier_worsened',
  'score_increased',
  'inactive',
  'milestone_reached',
] as const satisfies readonly AlertTrigger[];

/** How many points a score must rise for `score_increased`, unless a webhook says otherwise. */
export const DEFAULT_SCORE_INCREASE = 10;

/** What changed: depends on the trigger. */
export type Transition =
  | { from: string; to: string }
  | { fromScore: number; toScore: number; increase: number }
  | { daysSinceLastLogin: number | null; threshold: number }
  | { milestone: string; reachedAt: string };

export interface AlertPayload {
  /** The delivery id, also sent as `Tenure-Webhook-Id`: receivers dedupe on it. */
  id: string;
  type: `account.${AlertTrigger}`;
  projectId: string;
  occurredAt: string;
  account: { id: string; name: string | null; plan: string | null; mrr: number | null };
  transition: Transition;
  risk: Pick<AccountRisk, 'score' | 'tier' | 'trend' | 'recommendations'> & {
    topFactors: AccountRisk['factors'];
  };
}

/** What a webhook's test sends (`POST /v1/webhooks/:webhookId/test`): no account, no change. */
export interface TestPayload {
  id: string;
  type: 'webhook.test';
  projectId: string;
  webhookId: string;
  occurredAt: string;
}

/** The test notification in the webhook's format. */
export function testMessage(payload: TestPayload, format: 'json' | 'slack') {
  if (format === 'json') return payload;
  return { text: `Tenure test notification for webhook ${payload.webhookId}: it reaches you.` };
}

export function alertPayload(input: {
  id: string;
  kind: AlertTrigger;
  projectId: string;
  occurredAt: Date;
  features: AccountFeatures;
  risk: AccountRisk;
  transition: Transition;
}): AlertPayload {
  const { features, risk } = input;
  return {
    id: input.id,
    type: `account.${input.kind}`,
    projectId: input.projectId,
    occurredAt: input.occurredAt.toISOString(),
    account: {
      id: features.accountId,
      name: features.name,
      plan: features.plan,
      mrr: features.mrr,
    },
    transition: input.transition,
    risk: {
      score: risk.score,
      tier: risk.tier,
      trend: risk.trend,
      topFactors: risk.factors.filter((factor) => factor.contribution > 0).slice(0, 3),
      recommendations: risk.recommendations,
    },
  };
}

const HEADLINES: Record<AlertTrigger, (p: AlertPayload) => string> = {
  tier_worsened: (p) => {
    const t = p.transition as { from: string; to: string };
    return `entered *${t.to.replace('_', ' ')}* (was ${t.from.replace('_', ' ')})`;
  },
  score_increased: (p) => {
    const t = p.transition as { fromScore: number; toScore: number; increase: number };
    return `risk rose ${t.increase} points to *${t.toScore}*`;
  },
  inactive: (p) => {
    const t = p.transition as { daysSinceLastLogin: number | null; threshold: number };
    return `has not logged in for ${t.daysSinceLastLogin ?? 'many'} days (threshold ${t.threshold})`;
  },
  milestone_reached: (p) =>
    `reached the milestone *${(p.transition as { milestone: string }).milestone}*`,
};

/** The same notification as a Slack incoming-webhook message. */
export function slackMessage(payload: AlertPayload) {
  const kind = payload.type.slice('account.'.length) as AlertTrigger;
  const name = payload.account.name ?? payload.account.id;
  const headline = `${name} ${HEADLINES[kind](payload)}`;
  const factors = payload.risk.topFactors.map((factor) => `• ${factor.message}`).join('\n');
  const plays = payload.risk.recommendations.map((play) => `• ${play.message}`).join('\n');
  return {
    text: `${headline} — risk ${payload.risk.score} (${payload.risk.tier})`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${headline}\nRisk *${payload.risk.score}* (${payload.risk.tier})`,
        },
      },
      ...(factors
        ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Why*\n${factors}` } }]
        : []),
      ...(plays
        ? [{ type: 'section', text: { type: 'mrkdwn', text: `*What to do*\n${plays}` } }]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Account \`${payload.account.id}\` · ${payload.id}` }],
      },
    ],
  };
}
