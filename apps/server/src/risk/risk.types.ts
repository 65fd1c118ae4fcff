/** The risk contract shared by the query API, snapshots and alerts. */
export type RiskTier = 'healthy' | 'watch' | 'at_risk' | 'critical';

export const RISK_TIERS: readonly RiskTier[] = ['healthy', 'watch', 'at_risk', 'critical'];

export interface RiskFactor {
  /** Stable key, e.g. `days_since_last_login`, `login_trend`, `seat_utilisation`. */
  key: string;
  /** The account's value of the signal (null when it cannot be computed). */
  value: number | null;
  /** What a healthy account looks like for this signal (threshold or peer norm). */
  baseline: number | null;
  /** Points this factor adds to the 0–100 score (negative lowers it). */
  contribution: number;
  /** Plain language: "No login for 23 days (threshold 21)". */
  message: string;
}

export interface Recommendation {
  /** The factor the play answers. */
  factor: string;
  /** Short stable action key, e.g. `owner_check_in`, `feature_walkthrough`, `escalate_tickets`. */
  action: string;
  message: string;
}

export interface RiskTrend {
  /** Score of the latest snapshot at least 7 days before `asOf` (null if none). */
  previousScore: number | null;
  change: number | null;
  direction: 'rising' | 'falling' | 'stable' | null;
}

export interface AccountRisk {
  accountId: string;
  asOf: string;
  /** 0–100, higher = more likely to churn. */
  score: number;
  tier: RiskTier;
  factors: RiskFactor[];
  recommendations: Recommendation[];
  trend: RiskTrend;
  /**
   * Chance (0–1) of cancelling within the learned model's horizon, calibrated on held-out
   * history; null with the default model, whose points are not a probability.
   */
  churnProbability: number | null;
  /** Which weights produced the score. */
  model: 'default' | 'learned';
  /** When the account cancelled, if it had by `asOf` (its score then describes its last days). */
  churnedAt?: string | null;
}
