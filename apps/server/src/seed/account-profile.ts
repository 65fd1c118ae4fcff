import {
  DECAY_REASONS,
  FEATURES,
  type Feature,
  PLANS,
  type PlanSpec,
  SUDDEN_REASONS,
} from './plan-catalog.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * What happens to an account over the generated window:
 * - `healthy`: steady use with weekly rhythms;
 * - `noisy`: healthy, but with one or two dips (holidays, a busy quarter) it recovers from;
 * - `decaying`: the research's path: daily → weekly → monthly → gone, with rising support
 *   friction and password resets and fewer features, then a cancellation with a reason;
 * - `sudden`: cancels with little warning (acquired, budget cut).
 */
export type Fate = 'healthy' | 'noisy' | 'decaying' | 'sudden';

export interface UserProfile {
  id: string;
  /** Chance of using the product on a weekday at full engagement. */
  activity: number;
  /** Features this user touches. */
  features: Feature[];
  /** Day the user joins (≥ the account's first day in the window). */
  joinDay: number;
  /** Decay progress (0–1) at which this user stops coming back. */
  quitsAt: number;
}

export interface AccountProfile {
  index: number;
  id: string;
  name: string;
  plan: PlanSpec;
  interval: 'month' | 'year';
  seats: number;
  mrr: number;
  /** Day index of the subscription start; negative = before the generated window. */
  startDay: number;
  fate: Fate;
  users: UserProfile[];
  features: Feature[];
  /** Decaying accounts: when the decay begins and how long until it is gone. */
  decayStart: number;
  decayDays: number;
  /** Day of `subscription_cancelled` (may lie beyond the window: not cancelled yet). */
  cancelDay: number;
  reason: string;
  /** Noisy accounts: [from, to) day ranges of low activity. */
  dips: [number, number][];
}

const FIRST = [
  'North',
  'Blue',
  'Bright',
  'Silver',
  'Red',
  'Green',
  'Iron',
  'Clear',
  'Swift',
  'Quiet',
  'Bold',
  'Lucky',
  'Cedar',
  'Maple',
  'Stone',
  'River',
  'Summit',
  'Harbor',
  'Atlas',
  'Nova',
];
const SECOND = [
  'wind',
  'field',
  'bridge',
  'light',
  'path',
  'rock',
  'wave',
  'forge',
  'point',
  'gate',
  'leaf',
  'peak',
  'works',
  'line',
  'loop',
  'spark',
];
const SUFFIX = [
  'Labs',
  'Analytics',
  'Logistics',
  'Health',
  'Studio',
  'Systems',
  'Foods',
  'Capital',
  'Retail',
  'Media',
];

function planOf(random: SeededRandom): PlanSpec {
  return random.weighted(PLANS.map((plan) => [plan, plan.share] as const));
}

/**
 * Draws one account's plan, size, users and fate. `days` is the window length; about 30% of
 * accounts start inside it (new customers), the rest earlier (long-standing ones).
 */
export function profileAccount(random: SeededRandom, index: number, days: number): AccountProfile {
  const plan = planOf(random);
  const interval = random.chance(plan.yearlyShare) ? 'year' : 'month';
  const seats = random.int(plan.seats[0], plan.seats[1]);
  const discount = interval === 'year' ? 0.8 : 1;
  const mrr = Math.round(Math.max(plan.minimumMrr, seats * plan.pricePerSeat) * discount);
  const startDay = random.chance(0.3)
    ? random.int(0, Math.max(0, days - 21))
    : -random.int(30, 900);
  const name = `${random.pick(FIRST)}${random.pick(SECOND)} ${random.pick(SUFFIX)}`;
  const features = FEATURES.filter((_, j) => random.chance(plan.adoption[j]!));
  if (!features.includes('dashboards')) features.unshift('dashboards');

  // Yearly contracts decay less: the customer has committed for a year.
  const decayShare = plan.decayShare * (interval === 'year' ? 0.75 : 1.1);
  const fate = random.weighted<Fate>([
    ['healthy', 0.83 - decayShare],
    ['noisy', 0.12],
    ['decaying', decayShare],
    ['sudden', 0.05],
  ]);
  const first = Math.max(0, startDay);
  const decayStart = first + random.int(14, Math.max(15, days - first - 10));
  const decayDays = random.int(35, 110);
  let cancelDay = Number.POSITIVE_INFINITY;
  let reason = '';
  if (fate === 'decaying') {
    cancelDay = decayStart + decayDays + random.int(0, 14);
    reason = random.weighted(DECAY_REASONS);
  } else if (fate === 'sudden') {
    cancelDay = first + random.int(20, Math.max(21, days - first + 30));
    reason = random.weighted(SUDDEN_REASONS);
  }
  const dips: [number, number][] = [];
  if (fate === 'noisy') {
    for (let n = random.int(1, 2); n > 0; n -= 1) {
      const from = random.int(0, days - 1);
      dips.push([from, from + random.int(10, 24)]);
    }
  }

  const userCount = Math.max(1, Math.round(seats * random.between(...plan.usersPerSeat)));
  const users: UserProfile[] = [];
  for (let u = 0; u < Math.min(userCount, 25); u += 1) {
    const kind = random.weighted([
      ['power', 0.25],
      ['regular', 0.45],
      ['occasional', 0.3],
    ] as const);
    users.push({
      id: `${slug(name)}-${index}-u${u + 1}`,
      activity: kind === 'power' ? 0.85 : kind === 'regular' ? 0.5 : 0.18,
      features: features.filter((_, j) => j === 0 || random.chance(kind === 'power' ? 0.9 : 0.55)),
      joinDay: u === 0 || startDay < 0 ? first : first + random.int(0, 30),
      quitsAt: random.between(0, 0.85),
    });
  }
  return {
    index,
    id: `${slug(name)}-${index}`,
    name,
    plan,
    interval,
    seats,
    mrr,
    startDay,
    fate,
    users,
    features,
    decayStart,
    decayDays,
    cancelDay,
    reason,
    dips,
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
