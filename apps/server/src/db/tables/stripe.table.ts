import type { ColumnType, Generated } from 'kysely';

export interface StripeSettingsTable {
  project_id: string;
  endpoint_secret: string | null;
  account_from: Generated<'metadata' | 'customer'>;
  metadata_key: Generated<string>;
  updated_at: Generated<Date>;
}

export interface StripeCustomersTable {
  project_id: string;
  customer_id: string;
  account_id: string;
}

export interface StripeSubscriptionsTable {
  project_id: string;
  subscription_id: string;
  account_id: string;
  state: ColumnType<unknown, string, string>;
  version: ColumnType<string | number, number, number>;
}

export interface StripeEventsTable {
  project_id: string;
  event_id: string;
  handled_at: Generated<Date>;
}
