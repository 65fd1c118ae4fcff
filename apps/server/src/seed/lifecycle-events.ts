import type { AccountProfile } from './account-profile.js';
import type { MessageSink } from './message-sink.js';
import { FEEDBACK, ONBOARDING_MILESTONES, RECURRING_MILESTONES } from './plan-catalog.js';
import type { SeededRandom } from './seeded-random.js';

/** Length of a paid term in days. */
const termDays = (profile: AccountProfile) => (profile.interval === 'year' ? 365 : 30);

/**
 * The account's revenue lifecycle inside the window: `subscription_started` for new customers,
 * renewals at every term, an occasional seat expansion (`subscription_changed`), and
 * `subscription_cancelled` with a reason and the end of the running term.
 */
export function subscriptionEvents(
  profile: AccountProfile,
  sink: MessageSink,
  random: SeededRandom,
  days: number,
): void {
  const owner = profile.users[0]!.id;
  const plan = (seats: number, mrr: number) => ({
    plan: profile.plan.name,
    mrr,
    seats,
    interval: profile.interval,
  });
  if (profile.startDay >= 0) {
    sink.track(
      sink.dayStart(profile.startDay) + 3_600_000,
      owner,
      'subscription_started',
      plan(profile.seats, profile.mrr),
    );
  }
  const last = Math.min(days, profile.cancelDay);
  for (let day = Math.max(1, profile.startDay + 1); day < last; day += 1) {
    if ((day - profile.startDay) % termDays(profile) === 0) {
      sink.track(
        sink.dayStart(day) + 2 * 3_600_000,
        owner,
        'subscription_renewed',
        plan(profile.seats, profile.mrr),
      );
    }
  }
  if (profile.fate === 'healthy' && random.chance(0.12)) {
    const day = random.int(Math.max(0, profile.startDay + 20), days - 1);
    if (day >= 0 && day < days) {
      const seats = profile.seats + Math.max(1, Math.round(profile.seats * 0.25));
      const mrr = Math.round((profile.mrr * seats) / profile.seats);
      const time = sink.timeOn(day);
      sink.track(time, owner, 'subscription_changed', plan(seats, mrr));
      sink.group(time + 1000, owner, { seats, mrr });
    }
  }
  if (profile.cancelDay < days) {
    const elapsed = profile.cancelDay - profile.startDay;
    const termEnd =
      profile.startDay + Math.ceil((elapsed + 1) / termDays(profile)) * termDays(profile);
    sink.track(sink.timeOn(profile.cancelDay), owner, 'subscription_cancelled', {
      reason: profile.reason,
      mrr: profile.mrr,
      endsAt: new Date(sink.dayStart(termEnd)).toISOString(),
      feedback: FEEDBACK[profile.reason] ?? '',
    });
  }
}

/**
 * Success milestones: new customers reach onboarding milestones in their first weeks (fewer
 * when they decay early); engaged accounts keep reaching recurring ones every month or two.
 * A decaying account reaches none once its decay has started.
 */
export function milestoneEvents(
  profile: AccountProfile,
  sink: MessageSink,
  random: SeededRandom,
  days: number,
): void {
  const owner = profile.users[0]!.id;
  const stop = Math.min(
    days,
    profile.cancelDay,
    profile.fate === 'decaying' ? profile.decayStart : days,
  );
  let day = Math.max(0, profile.startDay);
  if (profile.startDay >= 0) {
    const reached = profile.fate === 'decaying' ? random.int(0, 3) : random.int(2, 5);
    for (const milestone of ONBOARDING_MILESTONES.slice(0, reached)) {
      day += random.int(2, 10);
      if (day >= stop) return;
      sink.track(sink.timeOn(day), owner, 'milestone_reached', { milestone });
    }
  }
  for (day += random.int(10, 50); day < stop; day += random.int(25, 60)) {
    sink.track(sink.timeOn(day), owner, 'milestone_reached', {
      milestone: random.pick(RECURRING_MILESTONES),
    });
  }
}

/** The group call with the account's traits, and each user's identify and group calls. */
export function identityEvents(profile: AccountProfile, sink: MessageSink): void {
  const created = new Date(sink.dayStart(profile.startDay) + 3_600_000);
  const traits = {
    name: profile.name,
    plan: profile.plan.name,
    mrr: profile.mrr,
    seats: profile.seats,
    interval: profile.interval,
    createdAt: created.toISOString(),
  };
  for (const [u, user] of profile.users.entries()) {
    const time = sink.dayStart(user.joinDay) + 60_000 * (u + 1);
    sink.identify(time, user.id, { email: `${user.id}@example.com`, name: `User ${u + 1}` });
    sink.group(time + 1000, user.id, u === 0 ? traits : {});
  }
}
