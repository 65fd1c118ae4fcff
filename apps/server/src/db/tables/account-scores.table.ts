import type { ColumnType, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/**
 * One row per account: its current risk and the inputs the account list filters and sorts on,
 * kept current by the score keeper (risk/score-keeper.ts) so that the list reads rows instead
 * of scoring every account on each request.
 */
export interface AccountScoresTable {
  project_id: string;
  account_id: string;
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  /** The account's first day (tenure and the new/established segment are counted from it). */
  start_day: ColumnType<string, string, string>;
  last_seen_day: ColumnType<string | null, string | null, string | null>;
  churned_at: ColumnType<Date | null, string | null, string | null>;
  score: number;
  tier: string;
  /** The model's calibrated churn probability, when the model in use gives one. */
  churn_probability: number | null;
  /** The top contributing `RiskFactor`s, biggest first. */
  top_factors: Json<unknown>;
  /** The `RiskTrend`. */
  trend: Json<unknown>;
  /** The `AccountFeatures` it was scored from (null in rows from before they were kept). */
  features: ColumnType<unknown | null, string | null, string | null>;
  model: string;
  /** The settings and model the score was computed with (see scoring-basis.ts). */
  basis: string;
  scored_at: ColumnType<Date, string, string>;
}

/** Per project: what the stored scores are current for, and a re-scoring pass under way. */
export interface AccountScoresStateTable {
  project_id: string;
  /** Basis of the last completed full pass. */
  basis: string | null;
  /** UTC day of the last completed full pass ('YYYY-MM-DD'). */
  scored_day: ColumnType<string | null, string | null, string | null>;
  /** The pass under way: its basis and day, accounts done and to do. */
  pass_basis: string | null;
  pass_day: ColumnType<string | null, string | null, string | null>;
  pass_done: number;
  pass_total: number;
  updated_at: ColumnType<Date, string, string>;
}

/**
 * Per project, churned or not, and tier: how many stored scores there are and their MRR,
 * changed in the same transaction as the scores (risk/current-scores.sql.ts).
 */
export interface AccountScoreTiersTable {
  project_id: string;
  churned: boolean;
  tier: string;
  accounts: number;
  /** Exact sum of the accounts' MRR (`numeric`). */
  mrr: number;
}

export type AccountScoreRow = Selectable<AccountScoresTable>;
