/** The generated product's features; `dashboards` and `reports` are its core. */
export const FEATURES = [
  'dashboards',
  'reports',
  'exports',
  'alerts',
  'integrations',
  'automations',
  'api',
  'sso_admin',
] as const;

export type Feature = (typeof FEATURES)[number];

export interface PlanSpec {
  name: string;
  /** Share of generated accounts on this plan. */
  share: number;
  seats: readonly [number, number];
  /** Users who actually use the product, as a share of seats. */
  usersPerSeat: readonly [number, number];
  /** MRR per seat (yearly contracts get 20% off). */
  pricePerSeat: number;
  minimumMrr: number;
  yearlyShare: number;
  /** Share of the plan's accounts that decay and cancel: small customers churn more. */
  decayShare: number;
  /** Probability that an account of the plan adopts each feature, in FEATURES order. */
  adoption: readonly number[];
}

// Larger plans buy more features and use more of them; small plans churn more.
export const PLANS: readonly PlanSpec[] = [
  {
    name: 'starter',
    share: 0.4,
    seats: [2, 5],
    usersPerSeat: [0.5, 1],
    pricePerSeat: 15,
    minimumMrr: 29,
    yearlyShare: 0.2,
    decayShare: 0.34,
    adoption: [0.95, 0.6, 0.5, 0.4, 0.15, 0.1, 0.05, 0],
  },
  {
    name: 'team',
    share: 0.3,
    seats: [5, 15],
    usersPerSeat: [0.4, 0.9],
    pricePerSeat: 25,
    minimumMrr: 149,
    yearlyShare: 0.4,
    decayShare: 0.28,
    adoption: [0.98, 0.8, 0.6, 0.6, 0.4, 0.3, 0.15, 0.05],
  },
  {
    name: 'business',
    share: 0.2,
    seats: [12, 40],
    usersPerSeat: [0.3, 0.6],
    pricePerSeat: 40,
    minimumMrr: 599,
    yearlyShare: 0.6,
    decayShare: 0.2,
    adoption: [0.99, 0.9, 0.7, 0.7, 0.7, 0.6, 0.4, 0.3],
  },
  {
    name: 'enterprise',
    share: 0.1,
    seats: [40, 120],
    usersPerSeat: [0.2, 0.35],
    pricePerSeat: 60,
    minimumMrr: 2500,
    yearlyShare: 0.9,
    decayShare: 0.12,
    adoption: [1, 0.95, 0.8, 0.8, 0.85, 0.75, 0.7, 0.8],
  },
];

/** Onboarding milestones, in the order accounts usually reach them. */
export const ONBOARDING_MILESTONES = [
  'first_dashboard',
  'invited_team',
  'first_report_shared',
  'integration_connected',
  'automation_live',
] as const;

/** Milestones healthy accounts keep reaching. */
export const RECURRING_MILESTONES = [
  'reports_shared_100',
  'quarterly_goal_met',
  'automation_runs_1000',
] as const;

export const DECAY_REASONS = [
  ['low_usage', 3],
  ['too_expensive', 2],
  ['switched_competitor', 2],
  ['missing_features', 1.5],
  ['poor_support', 1.5],
] as const;

export const SUDDEN_REASONS = [
  ['budget_cuts', 4],
  ['company_acquired', 3],
  ['business_closed', 3],
] as const;

export const FEEDBACK: Record<string, string> = {
  low_usage: 'The team stopped using it',
  too_expensive: 'Not worth the price for how much we use it',
  switched_competitor: 'Moved to another tool',
  missing_features: 'Missing what we needed',
  poor_support: 'Problems took too long to fix',
  budget_cuts: 'Budget was cut',
  company_acquired: 'We were acquired; the parent company has its own tool',
  business_closed: 'The business closed',
};
