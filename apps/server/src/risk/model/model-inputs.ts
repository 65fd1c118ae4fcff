/**
 * The learned model's inputs: point-in-time behaviour of one account, richer than the 14 factor
 * severities. Every input is computed from complete UTC days before the `asOf` day (the same
 * convention as the factors), so a model trained on snapshots and one account scored now see
 * the same numbers for the same history.
 */

/** One account's activity on one UTC day (its rollup row, plus distinct users and features). */
export interface ActivityDay {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  events: number;
  logins: number;
  featureUses: number;
  /** Bit k set = the project's k-th most used feature was used that day (see featureBits). */
  featureMask: number;
  /** Users with a login, feature use or page view that day. */
  activeUsers: number;
  ticketsOpened: number;
  passwordResets: number;
  kbViews: number;
  emailEngagement: number;
  milestones: number;
}

/** What is known of an account at `asOf` besides its daily activity. */
export interface AccountState {
  accountId: string;
  /** Days since 1970-01-01 of the account's start (`createdAt` trait when earlier, else first event). */
  startDay: number;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  yearly: boolean;
  /** Last day with a login / any activity before the `asOf` day, null when none. */
  lastLoginDay: number | null;
  lastSeenDay: number | null;
  /** First day with a milestone before the `asOf` day, null when none. */
  firstMilestoneDay: number | null;
}

/** Counts over the account's whole life before the `asOf` day: its engagement baseline. */
export interface LifetimeTotals {
  logins: number;
  activeDays: number;
  featureUses: number;
}

/** The day windows that counts are taken over: a week, a fortnight, four and eight weeks. */
export const WINDOWS = [7, 14, 28, 56] as const;

type Counter = (day: ActivityDay) => number;

/**
 * Windowed counters: each is counted over every window of WINDOWS and enters the model as
 * log(1 + count). `factor` is the risk factor whose explanation the input's share joins.
 */
const COUNTERS: { name: string; factor: string; count: Counter }[] = [
  { name: 'logins', factor: 'login_trend', count: (d) => d.logins },
  { name: 'login_days', factor: 'login_trend', count: (d) => (d.logins > 0 ? 1 : 0) },
  { name: 'active_days', factor: 'login_trend', count: (d) => (d.events > 0 ? 1 : 0) },
  { name: 'feature_uses', factor: 'feature_adoption', count: (d) => d.featureUses },
  { name: 'active_user_days', factor: 'seat_utilisation', count: (d) => d.activeUsers },
  { name: 'support_tickets', factor: 'support_tickets', count: (d) => d.ticketsOpened },
  { name: 'password_resets', factor: 'password_resets', count: (d) => d.passwordResets },
  { name: 'kb_views', factor: 'kb_usage', count: (d) => d.kbViews },
  { name: 'email_engagement', factor: 'email_engagement', count: (d) => d.emailEngagement },
  { name: 'milestones', factor: 'milestones', count: (d) => d.milestones },
];

export interface InputDefinition {
  name: string;
  /** The factor key this input's contribution is reported under. */
  factor: string;
  /** Whether the learner lets this input's weight differ by tenure band. */
  byTenure: boolean;
}

/** Inputs whose meaning depends on how long the account has been a customer. */
const BY_TENURE = new Set([
  'logins_7',
  'logins_28',
  'active_days_14',
  'active_days_56',
  'distinct_features_28',
  'days_since_last_login',
  'days_since_last_activity',
  'login_trend',
]);

const windowed = (name: string, factor: string) =>
  WINDOWS.map((w) => ({ name: `${name}_${w}`, factor }));

/** Every input, in the order of the vectors `modelInputs` returns. */
export const INPUTS: readonly InputDefinition[] = [
  ...COUNTERS.flatMap(({ name, factor }) => windowed(name, factor)),
  ...windowed('distinct_features', 'feature_adoption'),
  { name: 'days_since_last_login', factor: 'days_since_last_login' },
  { name: 'never_logged_in', factor: 'days_since_last_login' },
  { name: 'days_since_last_activity', factor: 'days_since_last_login' },
  { name: 'login_trend', factor: 'login_trend' },
  { name: 'feature_use_trend', factor: 'feature_adoption_trend' },
  { name: 'distinct_feature_trend', factor: 'feature_adoption_trend' },
  { name: 'tenure_days', factor: 'tenure' },
  { name: 'seats', factor: 'seat_utilisation' },
  { name: 'seat_use_28', factor: 'seat_utilisation' },
  { name: 'mrr', factor: 'mrr' },
  { name: 'yearly_billing', factor: 'plan' },
  { name: 'milestone_ever', factor: 'milestones' },
  { name: 'lifetime_logins', factor: 'login_trend' },
  { name: 'lifetime_active_days', factor: 'login_trend' },
  { name: 'lifetime_feature_uses', factor: 'feature_adoption' },
  { name: 'lifetime_active_share', factor: 'login_trend' },
].map((input) => ({ ...input, byTenure: BY_TENURE.has(input.name) }));

const log1p = Math.log1p;

function popcount(mask: number): number {
  let bits = mask - ((mask >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The input vector of an account at the start of `asOfDay`, from its days sorted by day (days
 * on or after `asOfDay`, and those older than the longest window, are ignored) and its
 * lifetime totals before `asOfDay`.
 *
 * @example
 * modelInputs(state, days, totals, 19_700)[INPUTS.findIndex((i) => i.name === 'logins_7')];
 */
export function modelInputs(
  state: AccountState,
  days: ActivityDay[],
  totals: LifetimeTotals,
  asOfDay: number,
): number[] {
  const longest = WINDOWS[WINDOWS.length - 1]!;
  const counts = COUNTERS.map(() => WINDOWS.map(() => 0));
  const masks = WINDOWS.map(() => 0);
  const previous = { logins: 0, featureUses: 0, mask: 0 };
  for (const day of days) {
    const age = asOfDay - day.day; // 1 = yesterday
    if (age < 1 || age > longest) continue;
    WINDOWS.forEach((window, w) => {
      if (age > window) return;
      COUNTERS.forEach((counter, c) => {
        counts[c]![w]! += counter.count(day);
      });
      masks[w]! |= day.featureMask;
    });
    if (age > 28) {
      previous.logins += day.logins;
      previous.featureUses += day.featureUses;
      previous.mask |= day.featureMask;
    }
  }
  const at28 = WINDOWS.indexOf(28);
  const c = (name: string) => counts[COUNTERS.findIndex((counter) => counter.name === name)]!;
  const tenureDays = Math.max(0, asOfDay - state.startDay);
  // Never logged in: as long ago as the account is old, so recency stays monotone.
  const sinceLogin = state.lastLoginDay === null ? tenureDays : asOfDay - state.lastLoginDay;
  const sinceSeen = state.lastSeenDay === null ? tenureDays : asOfDay - state.lastSeenDay;
  const seats = state.seats ?? 0;
  return [
    ...counts.flatMap((windows) => windows.map(log1p)),
    ...masks.map((mask) => log1p(popcount(mask))),
    log1p(Math.max(0, sinceLogin)),
    state.lastLoginDay === null ? 1 : 0,
    log1p(Math.max(0, sinceSeen)),
    log1p(c('logins')[at28]!) - log1p(previous.logins),
    log1p(c('feature_uses')[at28]!) - log1p(previous.featureUses),
    log1p(popcount(masks[at28]!)) - log1p(popcount(previous.mask)),
    log1p(tenureDays),
    log1p(seats),
    seats > 0 ? Math.min(1, c('active_user_days')[at28]! / (28 * seats)) : 0,
    log1p(Math.max(0, state.mrr ?? 0)),
    state.yearly ? 1 : 0,
    state.firstMilestoneDay !== null && state.firstMilestoneDay < asOfDay ? 1 : 0,
    log1p(totals.logins),
    log1p(totals.activeDays),
    log1p(totals.featureUses),
    tenureDays > 0 ? Math.min(1, totals.activeDays / tenureDays) : 0,
  ];
}
