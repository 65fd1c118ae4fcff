import { DAY_MS } from '../time/utc-day.js';
import type { AccountProfile } from './account-profile.js';
import { engagementOn, weekdayFactor } from './engagement-curve.js';
import type { MessageSink } from './message-sink.js';
import type { SeededRandom } from './seeded-random.js';

export interface ActivityState {
  tickets: number;
  /** Per-week noise on engagement, so healthy accounts are not flat lines. */
  weekLevel: number;
}

/**
 * One day of an account: each user shows up with a chance set by their own habit, the weekday
 * and the account's engagement; a visit is a login and a few feature uses, sometimes a
 * knowledge-base article. Decaying accounts shrink to their core features, forget passwords
 * and open more tickets that end unsatisfied. A weekly email goes out on Tuesdays.
 */
export function dailyActivity(
  profile: AccountProfile,
  day: number,
  sink: MessageSink,
  random: SeededRandom,
  state: ActivityState,
): void {
  const engagement = engagementOn(profile, day);
  const decaying = engagement.stage !== 'active';
  const weekday = new Date(sink.dayStart(day)).getUTCDay();
  if (weekday === 1) state.weekLevel = random.between(0.8, 1.2);
  const dayFactor = weekdayFactor(weekday) * engagement.level * state.weekLevel;

  for (const user of profile.users) {
    if (day < user.joinDay || (decaying && engagement.progress > user.quitsAt)) continue;
    if (weekday === 2 && random.chance(0.35 * (decaying ? engagement.level + 0.05 : 1))) {
      const campaign = `weekly-${Math.floor(day / 7)}`;
      const time = sink.timeOn(day);
      sink.track(time, user.id, 'email_opened', { campaign });
      if (random.chance(0.3)) sink.track(time + 90_000, user.id, 'email_clicked', { campaign });
    }
    if (!random.chance(user.activity * dayFactor)) continue;
    let time = sink.timeOn(day);
    // Rare visitors forget their password: the research's friction signal.
    if (random.chance(decaying ? 0.25 : 0.004)) {
      sink.track(time, user.id, 'password_reset_requested');
      time += 120_000;
    }
    sink.track(time, user.id, 'login', { method: random.chance(0.2) ? 'sso' : 'password' });
    const features = decaying
      ? user.features.slice(0, 1 + Math.floor(random.next() * 2))
      : user.features;
    const uses = 1 + random.poisson(decaying ? 0.5 : user.activity * 2);
    for (let k = 0; k < uses; k += 1) {
      time += random.int(1, 25) * 60_000;
      sink.track(time, user.id, 'feature_used', { feature: random.pick(features) });
    }
    if (random.chance(decaying ? 0.01 : 0.05)) {
      sink.track(time + 60_000, user.id, 'kb_article_viewed', {
        articleId: `kb-${random.int(1, 40)}`,
      });
    }
  }

  const ticketRate = 0.008 * Math.sqrt(profile.users.length) * (decaying ? 5 : 1);
  if (engagement.stage !== 'gone' && random.chance(ticketRate)) {
    openTicket(profile, day, sink, random, state, decaying);
  }
}

function openTicket(
  profile: AccountProfile,
  day: number,
  sink: MessageSink,
  random: SeededRandom,
  state: ActivityState,
  decaying: boolean,
) {
  state.tickets += 1;
  const ticketId = `${profile.id}-t${state.tickets}`;
  const user = random.pick(profile.users).id;
  const opened = sink.timeOn(day);
  sink.track(opened, user, 'support_ticket_opened', {
    ticketId,
    priority: random.weighted([
      ['low', 3],
      ['normal', 5],
      ['high', decaying ? 4 : 1],
    ] as const),
    channel: random.pick(['email', 'chat', 'phone']),
  });
  const resolveDays = decaying ? random.int(2, 25) : random.int(0, 5);
  const resolved = opened + resolveDays * DAY_MS + random.int(1, 8) * 3_600_000;
  sink.track(resolved, user, 'support_ticket_resolved', {
    ticketId,
    satisfied: random.chance(decaying ? 0.35 : 0.88),
  });
}
