import type { ColumnType, Generated } from 'kysely';

export type AlertTrigger = 'tier_worsened' | 'score_increased' | 'inactive' | 'milestone_reached';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhooksTable {
  project_id: string;
  id: string;
  url: string;
  triggers: AlertTrigger[];
  score_increase: Generated<number>;
  format: Generated<'json' | 'slack'>;
  secret: string;
  created_at: Generated<Date>;
  deleted_at: Date | null;
}

export interface AlertStatesTable {
  project_id: string;
  webhook_id: string;
  account_id: string;
  tier: string;
  score_base: number;
  inactive: boolean;
  milestones_after: Date;
  evaluated_at: Date;
  /** The scoring basis (settings and model) the state was taken under; null before it was kept. */
  basis: string | null;
}

/** The early-warnings feed: every transition detection found, once, webhooks or not. */
export interface AlertFeedTable {
  project_id: string;
  id: string;
  account_id: string;
  kind: AlertTrigger;
  dedup_key: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  detected_at: Date;
}

export interface WebhookDeliveriesTable {
  project_id: string;
  id: string;
  webhook_id: string;
  account_id: string;
  kind: AlertTrigger;
  dedup_key: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  lease_until: Date | null;
  delivered_at: Date | null;
  last_error: string | null;
  created_at: Generated<Date>;
}

export interface WebhookAttemptsTable {
  project_id: string;
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}
