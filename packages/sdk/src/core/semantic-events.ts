import type {
  SemanticEventProperties as Semantic,
  SemanticEventName,
  SubscriptionProperties,
} from '@tenure/schema';
import type { Properties } from './event-types.js';

/**
 * Extra properties of a semantic event, beside the one passed positionally. Not `Omit`: on a
 * type with an index signature `Omit` keeps only the index signature, so `satisfied: 'yes'`
 * would compile; remapping the keys keeps the typed ones.
 */
type Rest<Props, Positional extends keyof Props> = {
  [Key in keyof Props as Key extends Positional ? never : Key]: Props[Key];
};

/**
 * Every semantic event of the contract and the property its helper takes as first argument
 * (`featureUsed('reports')`), if any. `satisfies` makes a new event in the contract fail to
 * compile until it has a helper here.
 */
export const SEMANTIC_HELPERS = {
  login: null,
  feature_used: 'feature',
  support_ticket_opened: 'ticketId',
  support_ticket_resolved: 'ticketId',
  password_reset_requested: null,
  kb_article_viewed: 'articleId',
  email_opened: 'campaign',
  email_clicked: 'campaign',
  content_viewed: 'contentId',
  milestone_reached: 'milestone',
  subscription_started: null,
  subscription_changed: null,
  subscription_renewed: null,
  subscription_cancelled: null,
} as const satisfies Record<SemanticEventName, string | null>;

/** `feature_used` → `featureUsed`. */
export function helperName(event: string): string {
  return event.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A typed helper for every semantic event of the contract. The names and properties are the
 * ones Tenure's churn-risk model reads, so the helpers (rather than `track` with a string)
 * keep them exact. Shared by the browser client and the Node client's `user(...)` handle.
 *
 * The helpers are generated from `SEMANTIC_HELPERS` onto the prototype (static block) rather than
 * written out: fourteen near-identical methods cost the script-tag build a tenth of its budget.
 * They are declared here, one by one, for their types and docs.
 */
export abstract class SemanticEvents {
  static {
    for (const [event, positional] of Object.entries(SEMANTIC_HELPERS)) {
      Object.defineProperty(SemanticEvents.prototype, helperName(event), {
        value(this: SemanticEvents, first?: unknown, properties?: Properties) {
          const props = positional ? { ...properties, [positional]: first } : first;
          this.record(event, props as Properties | undefined);
        },
      });
    }
  }

  /** Records a `track` message; the entry points add identity and queue it. */
  protected abstract record(event: string, properties?: Properties): void;

  /**
   * The user signed in. Login recency and frequency are the strongest early churn signal.
   * @example tenure.login({ method: 'sso' })
   */
  declare login: (properties?: Semantic['login']) => void;

  /**
   * The user used a feature; adoption breadth and depth feed the risk score.
   * @example tenure.featureUsed('reports', { report: 'mrr-by-plan' })
   */
  declare featureUsed: (
    feature: string,
    properties?: Rest<Semantic['feature_used'], 'feature'>,
  ) => void;

  /** @example tenure.supportTicketOpened('T-1042', { priority: 'high', channel: 'email' }) */
  declare supportTicketOpened: (
    ticketId: string,
    properties?: Rest<Semantic['support_ticket_opened'], 'ticketId'>,
  ) => void;

  /** @example tenure.supportTicketResolved('T-1042', { satisfied: true }) */
  declare supportTicketResolved: (
    ticketId: string,
    properties?: Rest<Semantic['support_ticket_resolved'], 'ticketId'>,
  ) => void;

  /** Repeated password resets signal friction. @example tenure.passwordResetRequested() */
  declare passwordResetRequested: (properties?: Semantic['password_reset_requested']) => void;

  /** Self-service help. @example tenure.kbArticleViewed('how-to-export') */
  declare kbArticleViewed: (
    articleId: string,
    properties?: Rest<Semantic['kb_article_viewed'], 'articleId'>,
  ) => void;

  /** @example tenure.emailOpened('onboarding-day-3') */
  declare emailOpened: (
    campaign: string,
    properties?: Rest<Semantic['email_opened'], 'campaign'>,
  ) => void;

  /** @example tenure.emailClicked('onboarding-day-3', { url: 'https://app.example.com/reports' }) */
  declare emailClicked: (
    campaign: string,
    properties?: Rest<Semantic['email_clicked'], 'campaign'>,
  ) => void;

  /** @example tenure.contentViewed('webinar-retention-101') */
  declare contentViewed: (
    contentId: string,
    properties?: Rest<Semantic['content_viewed'], 'contentId'>,
  ) => void;

  /** A success milestone (first report shared, team invited, ...). */
  declare milestoneReached: (
    milestone: string,
    properties?: Rest<Semantic['milestone_reached'], 'milestone'>,
  ) => void;

  /** @example tenure.subscriptionStarted({ plan: 'pro', mrr: 490, seats: 10, interval: 'month' }) */
  declare subscriptionStarted: (properties: SubscriptionProperties) => void;

  /** An upgrade, downgrade or seat change. @example tenure.subscriptionChanged({ plan: 'team', mrr: 990 }) */
  declare subscriptionChanged: (properties: SubscriptionProperties) => void;

  /** @example tenure.subscriptionRenewed({ plan: 'pro', mrr: 490, interval: 'year' }) */
  declare subscriptionRenewed: (properties: SubscriptionProperties) => void;

  /**
   * The customer gave notice. Churn counts when the subscription ends (`endsAt`, else the end
   * of the paid term); the reason feeds the churn-reasons report.
   * @example tenure.subscriptionCancelled({ reason: 'too_expensive', mrr: 490, feedback: '...' })
   */
  declare subscriptionCancelled: (properties: Semantic['subscription_cancelled']) => void;
}
