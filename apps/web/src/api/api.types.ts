/**
 * The shapes of the public JSON API the workspace reads (GET /openapi.json is the source of
 * truth). Only the fields the screens use are listed; the workspace has no private endpoints.
 */

export type RiskTier = 'healthy' | 'watch' | 'at_risk' | 'critical';
export const RISK_TIERS: readonly RiskTier[] = ['critical', 'at_risk', 'watch', 'healthy'];

export interface Membership {
  projectId: string;
  projectName: string;
  role: 'admin' | 'viewer';
}

export interface SessionInfo {
  user: { id: string; email: string };
  memberships: Membership[];
  csrfToken: string;
}

export interface RiskFactor {
  key: string;
  value: number | null;
  baseline: number | null;
  contribution: number;
  message: string;
}

export interface RiskTrend {
  previousScore: number | null;
  change: number | null;
  direction: 'rising' | 'falling' | 'stable' | null;
}

export interface AccountListItem {
  accountId: string;
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  lastSeen: string | null;
  tenureDays: number;
  segments: string[];
  score: number;
  tier: RiskTier;
  trend: RiskTrend;
  topFactors: RiskFactor[];
  churnedAt: string | null;
  /** From the learned model (#14) when the API gives it. */
  churnProbability?: number | null;
}

/** Accounts and MRR, in all and by tier: the list's first-page `summary`. */
export interface TierSummary {
  accounts: number;
  mrr: number;
  tiers: Record<RiskTier, { accounts: number; mrr: number }>;
}

export interface AccountList {
  asOf: string;
  accounts: AccountListItem[];
  nextCursor: string | null;
  summary: TierSummary | null;
}

/** `GET /v1/account-facets`: the plans and segments the list can be filtered by. */
export interface AccountFacets {
  plans: { plan: string | null; accounts: number; mrr: number }[];
  segments: { segment: string; accounts: number; mrr: number }[];
}

export interface AccountProfile {
  accountId: string;
  asOf: string;
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  traits: Record<string, unknown>;
  firstSeen: string | null;
  lastSeen: string | null;
  users: { total: number; active28: number; recent: { userId: string; lastSeenDay: string }[] };
  cadence: { current: Cadence | null; since: string | null };
  risk: { score: number; tier: RiskTier; trend: RiskTrend; topFactors: RiskFactor[] } | null;
  churnedAt: string | null;
}

export interface AccountRisk {
  accountId: string;
  asOf: string;
  score: number;
  tier: RiskTier;
  factors: RiskFactor[];
  recommendations: { factor: string; action: string; message: string }[];
  trend: RiskTrend;
  model: 'default' | 'learned';
  churnProbability?: number | null;
  churnedAt?: string | null;
}

export type Cadence = 'daily' | 'weekly' | 'monthly' | 'dormant';
export type Interval = 'day' | 'week' | 'month';

export interface TimelineBucket {
  start: string;
  activeDays: number;
  activeUsers: number;
  logins: number;
  feature_uses: number;
  tickets_opened: number;
  tickets_resolved: number;
  [counter: string]: number | string;
}

export interface Timeline {
  asOf: string;
  interval: Interval;
  from: string;
  to: string;
  cadence: {
    current: Cadence | null;
    since: string | null;
    shifts: { on: string; from: Cadence | null; to: Cadence }[];
  };
  buckets: TimelineBucket[];
}

export interface FeatureUse {
  feature: string;
  key: boolean;
  adopted: boolean;
  firstUsed: string | null;
  lastUsed: string | null;
  uses: number;
  uses28: number;
  users28: number;
  userShare28: number | null;
  /** Share of the plan's retained accounts using it (key features, 5 peers or more). */
  peerShare: number | null;
}

export interface FeatureAdoption {
  accountId: string;
  asOf: string;
  keyFeaturesSource: 'configured' | 'inferred';
  activeUsers28: number;
  keyFeatures: FeatureUse[];
  otherFeatures: FeatureUse[];
  /** Who `peerShare` compares with: retained accounts on the account's plan. */
  peers: { plan: string | null; accounts: number };
}

export interface StoredEvent {
  messageId: string;
  timestamp: string;
  event: string | null;
  userId: string | null;
  properties: Record<string, unknown>;
}

export interface EventPage {
  data: StoredEvent[];
  nextCursor: string | null;
}

export interface ChurnRates {
  logoChurnRate: number | null;
  revenueChurnRate: number | null;
  contractionRate: number | null;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
  customersAtStart: number;
  new: number;
  churned: number;
  customersAtEnd: number;
  startMrr: number;
  churnedMrr: number;
}

export interface ChurnPeriod extends ChurnRates {
  period: string;
  start: string;
  end: string;
  partial: boolean;
  groups?: (ChurnRates & { group: string })[];
}

export interface ChurnReport {
  asOf: string;
  period: 'month' | 'quarter' | 'year';
  groupBy: string | null;
  periods: ChurnPeriod[];
}

export interface RetentionReport {
  asOf: string;
  basis: 'logo' | 'revenue';
  cohorts: { cohort: string; accounts: number; startMrr: number; retention: (number | null)[] }[];
}

export interface ChurnReasons {
  from: string;
  to: string;
  reasons: { reason: string; cancellations: number; lostMrr: number }[];
}

export type WebhookTrigger = 'tier_worsened' | 'score_increased' | 'inactive' | 'milestone_reached';

export interface Webhook {
  id: string;
  url: string;
  triggers: WebhookTrigger[];
  scoreIncrease: number;
  format: 'json' | 'slack';
  createdAt: string;
  secret?: string | undefined;
}

export interface WebhookDelivery {
  id: string;
  kind: string;
  accountId: string | null;
  status: string;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  payload: unknown;
  attempts: { attempt: number; at: string; statusCode: number | null; error: string | null }[];
}

/** One early warning of `GET /v1/alerts`: a transition the detector found. */
export interface Alert {
  id: string;
  type: WebhookTrigger;
  detectedAt: string;
  account: { id: string; name: string | null; plan: string | null; mrr: number | null };
  transition: {
    from?: string;
    to?: string;
    fromScore?: number;
    toScore?: number;
    increase?: number;
    daysSinceLastLogin?: number | null;
    threshold?: number;
    milestone?: string;
    reachedAt?: string;
  };
  risk: { score: number; tier: RiskTier; topFactors: RiskFactor[] };
}

export interface AlertFeed {
  alerts: Alert[];
  nextCursor: string | null;
}

export interface WebhookTest {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface ProjectSettings {
  keyFeatures: string[];
  inactivityDays: number;
  tierCutoffs: { watch: number; at_risk: number; critical: number };
  /** `probability`: tiers follow a learned model's calibrated churn probability. */
  tierBy: 'score' | 'probability';
  probabilityCutoffs: { watch: number; at_risk: number; critical: number };
  factorWeights: Record<string, number>;
  newCustomerDays: number;
  sizeBands: number[];
}

export interface ModelMetrics {
  auc: number | null;
  precisionAt10: number | null;
  calibration: { bin: number; count: number; predicted: number; observed: number }[];
}

export interface ModelRun {
  id: string;
  createdAt: string;
  adopted: boolean;
  report: {
    trainedAt: string;
    horizonDays: number;
    splitAt: string;
    training: { rows: number; churned: number };
    evaluation: { rows: number; churned: number };
    default: ModelMetrics;
    learned: ModelMetrics;
    adopted: boolean;
    decision: string;
  };
}

export interface ModelInfo {
  inUse: 'default' | 'learned';
  factors: {
    key: string;
    defaultPoints: number;
    learnedPoints: number | null;
    multiplier: number;
    pointsInUse: number;
  }[];
  model: ModelRun | null;
  latestTraining: ModelRun | null;
}

export interface ApiKey {
  id: string;
  kind: 'write' | 'secret';
  /** The key with its middle hidden; the full key is only in the create answer (`key`). */
  maskedKey: string;
  createdAt: string;
  revokedAt: string | null;
  key?: string;
}
