import type { Message } from '@tenure/schema';
import { DAY_MS } from '../time/utc-day.js';
import { type AccountProfile, profileAccount } from './account-profile.js';
import { type ActivityState, dailyActivity } from './daily-activity.js';
import { identityEvents, milestoneEvents, subscriptionEvents } from './lifecycle-events.js';
import { MessageSink } from './message-sink.js';
import { SeededRandom, seedOf } from './seeded-random.js';

export interface GenerateOptions {
  accounts: number;
  /** Length of the window in days; it ends with the last complete UTC day before `end`. */
  days: number;
  seed: number;
  /** Default: now. */
  end?: Date | undefined;
}

export interface GeneratedAccount {
  profile: AccountProfile;
  messages: Message[];
}

/**
 * Synthetic B2B SaaS customers as Segment messages: accounts on four plans (monthly and yearly)
 * and many sizes, whose users log in and use ~8 features with weekday-heavy rhythms; support
 * tickets, password resets, knowledge-base views, weekly emails, milestones and the
 * subscription lifecycle. About a quarter of the accounts decay the way the research describes
 * and cancel with a reason; some cancel with little warning, some healthy ones dip and recover,
 * so a churn model has real work to do. Deterministic for a seed; one account at a time, so
 * memory stays flat for any size.
 *
 * @example
 * for (const { messages } of generateAccounts({ accounts: 200, days: 180, seed: 1 })) send(messages);
 */
export function* generateAccounts(options: GenerateOptions): Generator<GeneratedAccount> {
  const end = options.end ?? new Date();
  const windowStart = Math.floor(end.getTime() / DAY_MS) * DAY_MS - options.days * DAY_MS;
  for (let index = 1; index <= options.accounts; index += 1) {
    const random = new SeededRandom(seedOf(options.seed, index));
    const profile = profileAccount(random, index, options.days);
    const sink = new MessageSink(`seed-${options.seed}-${index}`, profile.id, windowStart, random);
    identityEvents(profile, sink);
    subscriptionEvents(profile, sink, random, options.days);
    milestoneEvents(profile, sink, random, options.days);
    const state: ActivityState = { tickets: 0, weekLevel: 1 };
    const last = Math.min(options.days, profile.cancelDay + 1);
    for (let day = Math.max(0, profile.startDay); day < last; day += 1) {
      dailyActivity(profile, day, sink, random, state);
    }
    const endMs = end.getTime();
    // Tickets resolved after the window's end have not happened yet.
    const messages = sink.sorted().filter((message) => Date.parse(message.timestamp!) < endMs);
    yield { profile, messages };
  }
}
