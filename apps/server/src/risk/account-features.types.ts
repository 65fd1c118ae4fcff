/**
 * The point-in-time signals of one account, as of a time `asOf`, read from rollups only
 * (see account-features.sql.ts). Day windows count complete UTC days before `asOf`'s day:
 * "28 days" = the 28 days before it, "previous 28" = the 28 before those.
 */
export interface AccountFeatures {
  accountId: string;
  name: string | null;
  /** Plan, MRR and seats of the latest subscription event at or before `asOf`, else traits then. */
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  billingInterval: 'month' | 'year' | null;
  /** Days since the account's start (`createdAt` trait when earlier, else first event). */
  tenureDays: number;
  /** Days since the last day with a login; null when it never logged in. */
  daysSinceLastLogin: number | null;
  /** Last day with any activity before `asOf` ('YYYY-MM-DD'), null when none. */
  lastSeenDay: string | null;
  logins28: number;
  loginsPrev28: number;
  loginDays28: number;
  /** Users with a login, feature use or page view. */
  activeUsers28: number;
  featureUses28: number;
  featureUsesPrev28: number;
  /** Key features (settings or inferred) used in each window, and ever before `asOf`. */
  keyFeaturesUsed28: string[];
  keyFeaturesUsedPrev28: string[];
  keyFeaturesEverUsed: string[];
  keyFeatureUses28: number;
  keyFeatureUsesPrev28: number;
  ticketsOpened90: number;
  /** Opened at or before `asOf` and not resolved by then. */
  ticketsOpen: number;
  ticketsUnsatisfied90: number;
  /** Tickets of the last 90 days with no login or feature use in the 7 days after opening. */
  ticketsWithoutFollowUp90: number;
  passwordResets28: number;
  kbViews90: number;
  emailOpens28: number;
  emailClicks28: number;
  emailOpensPrev28: number;
  emailClicksPrev28: number;
  milestones90: number;
  /** First day with a milestone, null when none was reached before `asOf`. */
  firstMilestoneDay: string | null;
  /** When the account cancelled (event or `churnedAt`/`status` trait), if at or before `asOf`. */
  churnedAt: string | null;
  /** The latest risk snapshot at least 7 days before `asOf` (the trend's reference). */
  previousScore: number | null;
  /**
   * Activity on `asOf`'s own day (its rollup, so for a past `asOf` the whole day). The score
   * ignores it (whole days only); messages read it so that they never say "never" or "none"
   * about what the account did today. Absent in hand-made features: read as no activity.
   */
  today?: TodayActivity | undefined;
}

/**
 * Besides `today`, what of the features can change within a day: the account's terms (traits
 * and subscription) and its tickets. The rest counts complete days only.
 */
export type AccountTerms = Pick<
  AccountFeatures,
  'name' | 'plan' | 'mrr' | 'seats' | 'billingInterval' | 'tenureDays' | 'churnedAt'
>;
export type AccountTickets = Pick<
  AccountFeatures,
  'ticketsOpened90' | 'ticketsOpen' | 'ticketsUnsatisfied90' | 'ticketsWithoutFollowUp90'
>;

export interface TodayActivity {
  logins: number;
  kbViews: number;
  milestones: number;
  /** Key features used today, sorted. */
  keyFeaturesUsed: string[];
}

/** What feature extraction needs besides the project: the time and the key features. */
export interface FeatureQuery {
  asOf: Date;
  keyFeatures: string[];
  /** Only these accounts; all of the project's accounts when absent. */
  accountIds?: string[] | undefined;
}
