/**
 * Reserved `track` event names with typed properties. Tenure's risk model reads these; every
 * other event name is a custom event, stored as sent.
 */
export type BillingInterval = 'month' | 'year';

export interface SubscriptionProperties {
  plan: string;
  /** Monthly recurring revenue in the account's currency (yearly contracts: price / 12). */
  mrr: number;
  seats?: number | undefined;
  interval?: BillingInterval | undefined;
  /** When the subscription ends, as an ISO-8601 instant (UTC). */
  endsAt?: string | undefined;
  [key: string]: unknown;
}

export interface SemanticEventProperties {
  login: { method?: string | undefined; [key: string]: unknown };
  feature_used: { feature: string; [key: string]: unknown };
  support_ticket_opened: {
    ticketId: string;
    priority?: string | undefined;
    channel?: string | undefined;
    [key: string]: unknown;
  };
  support_ticket_resolved: {
    ticketId: string;
    satisfied?: boolean | undefined;
    [key: string]: unknown;
  };
  password_reset_requested: { [key: string]: unknown };
  kb_article_viewed: { articleId: string; [key: string]: unknown };
  email_opened: { campaign: string; url?: string | undefined; [key: string]: unknown };
  email_clicked: { campaign: string; url?: string | undefined; [key: string]: unknown };
  content_viewed: { contentId: string; [key: string]: unknown };
  milestone_reached: { milestone: string; [key: string]: unknown };
  subscription_started: SubscriptionProperties;
  subscription_changed: SubscriptionProperties;
  subscription_renewed: SubscriptionProperties;
  subscription_cancelled: {
    reason: string;
    mrr?: number | undefined;
    seats?: number | undefined;
    /** When the subscription actually ends; default: the end of the running paid term. */
    endsAt?: string | undefined;
    feedback?: string | undefined;
    [key: string]: unknown;
  };
}

export type SemanticEventName = keyof SemanticEventProperties;

export const SEMANTIC_EVENT_NAMES = [
  'login',
  'feature_used',
  'support_ticket_opened',
  'support_ticket_resolved',
  'password_reset_requested',
  'kb_article_viewed',
  'email_opened',
  'email_clicked',
  'content_viewed',
  'milestone_reached',
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
] as const satisfies readonly SemanticEventName[];

export function isSemanticEventName(name: string): name is SemanticEventName {
  return (SEMANTIC_EVENT_NAMES as readonly string[]).includes(name);
}
