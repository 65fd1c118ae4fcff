import type { ColumnType, Generated, Selectable } from 'kysely';

type Traits = ColumnType<Record<string, unknown>, string, string>;

export interface AccountsTable {
  project_id: string;
  account_id: string;
  traits: Traits;
  traits_at: Date | null;
  name: Generated<string | null>;
  plan: Generated<string | null>;
  mrr: ColumnType<number | null, never, never>;
  seats: Generated<number | null>;
  first_seen: Date;
  last_seen: Date;
}

export interface UsersTable {
  project_id: string;
  user_id: string;
  traits: Traits;
  traits_at: Date | null;
  /** The account of the user's latest `group` call. */
  account_id: string | null;
  account_at: Date | null;
  first_seen: Date;
  last_seen: Date;
}

export interface AccountUsersTable {
  project_id: string;
  account_id: string;
  user_id: string;
  first_seen: Date;
  last_seen: Date;
}

export interface IdentitiesTable {
  project_id: string;
  anonymous_id: string;
  user_id: string;
  linked_at: Date;
}

export interface SupportTicketsTable {
  project_id: string;
  ticket_id: string;
  account_id: string | null;
  user_id: string | null;
  priority: string | null;
  opened_at: Date | null;
  resolved_at: Date | null;
  satisfied: boolean | null;
}

export interface SubscriptionEventsTable {
  project_id: string;
  account_id: string;
  timestamp: Date;
  message_id: string;
  event: string;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  billing_interval: 'month' | 'year' | null;
  ends_at: Date | null;
  reason: string | null;
  feedback: string | null;
}

export type Account = Selectable<AccountsTable>;
export type User = Selectable<UsersTable>;
export type SubscriptionEvent = Selectable<SubscriptionEventsTable>;

/** One `group` call that set traits; the traits as of T merge the rows up to T in time order. */
export interface AccountTraitChangesTable {
  project_id: string;
  account_id: string;
  timestamp: Date;
  message_id: string;
  traits: Traits;
}

/** One `identify` call that set traits. */
export interface UserTraitChangesTable {
  project_id: string;
  user_id: string;
  timestamp: Date;
  message_id: string;
  traits: Traits;
}
