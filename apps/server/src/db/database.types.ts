import type { Kysely } from 'kysely';
import type {
  AccountScoresStateTable,
  AccountScoresTable,
  AccountScoreTiersTable,
} from './tables/account-scores.table.js';
import type {
  AlertFeedTable,
  AlertStatesTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from './tables/alerts.table.js';
import type { DemoGenerationsTable } from './tables/demo-generations.table.js';
import type {
  AccountsTable,
  AccountTraitChangesTable,
  AccountUsersTable,
  IdentitiesTable,
  SubscriptionEventsTable,
  SupportTicketsTable,
  UsersTable,
  UserTraitChangesTable,
} from './tables/entities.table.js';
import type { EventKeysTable, EventsTable } from './tables/events.table.js';
import type { ApiKeysTable, ProjectsTable } from './tables/projects.table.js';
import type { ModelJobsTable, RiskModelsTable, RiskSnapshotsTable } from './tables/risk.table.js';
import type {
  AccountDailyTable,
  FeatureDailyTable,
  UserDailyTable,
} from './tables/rollups.table.js';
import type {
  StripeCustomersTable,
  StripeEventsTable,
  StripeSettingsTable,
  StripeSubscriptionsTable,
} from './tables/stripe.table.js';
import type {
  DashboardMembershipsTable,
  DashboardSessionsTable,
  DashboardUsersTable,
} from './tables/workspace.table.js';

/** Every table Tenure owns; a migration that adds a table adds it here too (with its `*.table.ts`). */
export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  event_keys: EventKeysTable;
  accounts: AccountsTable;
  users: UsersTable;
  account_users: AccountUsersTable;
  identities: IdentitiesTable;
  account_trait_changes: AccountTraitChangesTable;
  user_trait_changes: UserTraitChangesTable;
  account_daily: AccountDailyTable;
  user_daily: UserDailyTable;
  feature_daily: FeatureDailyTable;
  support_tickets: SupportTicketsTable;
  subscription_events: SubscriptionEventsTable;
  risk_models: RiskModelsTable;
  model_jobs: ModelJobsTable;
  risk_snapshots: RiskSnapshotsTable;
  account_scores: AccountScoresTable;
  account_scores_state: AccountScoresStateTable;
  account_score_tiers: AccountScoreTiersTable;
  webhooks: WebhooksTable;
  alert_states: AlertStatesTable;
  alert_feed: AlertFeedTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  demo_generations: DemoGenerationsTable;
  stripe_settings: StripeSettingsTable;
  stripe_customers: StripeCustomersTable;
  stripe_subscriptions: StripeSubscriptionsTable;
  stripe_events: StripeEventsTable;
  dashboard_users: DashboardUsersTable;
  dashboard_memberships: DashboardMembershipsTable;
  dashboard_sessions: DashboardSessionsTable;
}

/** What data functions take first: the database, or a transaction on it (a `Transaction` is a `Kysely`). */
export type Db = Kysely<Database>;
