import type { Selectable } from 'kysely';

/** Postgres `date`, read as 'YYYY-MM-DD' on both engines (see db/type-parsers.ts). */
type Day = string;

/** Daily counters shared by the account and user rollups. */
export interface ActivityCounters {
  events: number;
  logins: number;
  feature_uses: number;
  tickets_opened: number;
  tickets_resolved: number;
  tickets_unsatisfied: number;
  password_resets: number;
  kb_views: number;
  email_opens: number;
  email_clicks: number;
  content_views: number;
  milestones: number;
  page_views: number;
}

export const ACTIVITY_COUNTERS = [
  'events',
  'logins',
  'feature_uses',
  'tickets_opened',
  'tickets_resolved',
  'tickets_unsatisfied',
  'password_resets',
  'kb_views',
  'email_opens',
  'email_clicks',
  'content_views',
  'milestones',
  'page_views',
] as const satisfies readonly (keyof ActivityCounters)[];

export interface AccountDailyTable extends ActivityCounters {
  project_id: string;
  account_id: string;
  day: Day;
}

/** `account_id` is '' for activity outside any account. */
export interface UserDailyTable extends ActivityCounters {
  project_id: string;
  account_id: string;
  day: Day;
  user_id: string;
}

/** `user_id` is '' for anonymous use. */
export interface FeatureDailyTable {
  project_id: string;
  account_id: string;
  feature: string;
  day: Day;
  user_id: string;
  uses: number;
}

export type AccountDay = Selectable<AccountDailyTable>;
export type UserDay = Selectable<UserDailyTable>;
