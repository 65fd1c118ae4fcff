/**
 * How Tenure's tables are laid out on a Citus cluster (docs/operations.md, "Scaling out with
 * Citus"). Every table is in exactly one list; the rules test (citus-rules.test.ts) fails when
 * a migration adds a table that is in none, so a new table is placed before it ships.
 */
export const CITUS_LAYOUT = {
  /**
   * Small tables read by every project's requests (keys are looked up before the project is
   * known): a copy on every node, so joins with them stay on one node.
   */
  reference: [
    'projects',
    'api_keys',
    // The workspace's people: not keyed by project (a person may belong to several), read
    // before any project is known (a session cookie), and small. In this order: a reference
    // table's foreign keys must point at tables already placed.
    'dashboard_users',
    'dashboard_memberships',
    'dashboard_sessions',
  ],
  /**
   * Distributed on `project_id`, all co-located with the first: one project's rows of every
   * table live on one node, so a statement naming one project runs there whole. Order matters
   * only for the first, which the others are co-located with.
   */
  distributed: [
    'event_keys',
    'events',
    'accounts',
    'users',
    'account_users',
    'identities',
    'account_trait_changes',
    'user_trait_changes',
    'account_daily',
    'user_daily',
    'feature_daily',
    'support_tickets',
    'subscription_events',
    'risk_snapshots',
    'risk_models',
    'model_jobs',
    'account_scores',
    'account_scores_state',
    'account_score_tiers',
    'demo_generations',
    'webhooks',
    'alert_states',
    'alert_feed',
    'webhook_deliveries',
    'webhook_attempts',
    // Stripe (integrations/stripe/): every read and write names the project of the webhook's
    // URL or the backfill's --project, and each key starts with project_id.
    'stripe_settings',
    'stripe_customers',
    'stripe_subscriptions',
    'stripe_events',
  ],
  /** The migrator's own bookkeeping: read and written by the coordinator only. */
  local: ['tenure_migrations', 'tenure_migrations_lock'],
  /**
   * Functions that statements sent to a worker call (the writer's trait merge, the safe casts
   * of generated columns and of `accounts-as-of.sql.ts`): created on every node.
   */
  functions: [
    'tenure_numeric(text)',
    'tenure_integer(text)',
    'tenure_timestamptz(text)',
    'tenure_jsonb_merge(jsonb)',
  ],
} as const;

/** The table the distributed tables are co-located with. */
export const COLOCATION_ANCHOR = CITUS_LAYOUT.distributed[0];

export const DISTRIBUTION_COLUMN = 'project_id';
