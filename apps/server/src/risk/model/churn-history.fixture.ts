import { SeededRandom } from '../../seed/seeded-random.js';
import { DAY_MS } from '../../time/utc-day.js';

const FEATURES = ['reports', 'exports', 'dashboards'];

export interface ChurnHistoryOptions {
  accounts: number;
  /** Day 0 of the history. */
  start: Date;
  days: number;
  seed: number;
}

/**
 * Segment messages for a small project with a known story: accounts start over the first half
 * of the history; about half cancel later, and those log in less and less in the five weeks
 * before they do; some accounts change plan midway. Every message has a stable id and a
 * timestamp, so a test can send all of them, or only those up to a time, and compare.
 *
 * @example
 * const messages = churnHistory({ accounts: 120, start, days: 300, seed: 1 });
 */
export function churnHistory(options: ChurnHistoryOptions): { timestamp: string }[] {
  const random = new SeededRandom(options.seed);
  const at = (day: number, hour: number) =>
    new Date(options.start.getTime() + day * DAY_MS + hour * 3_600_000).toISOString();
  const messages: ({ timestamp: string } & Record<string, unknown>)[] = [];
  for (let i = 0; i < options.accounts; i += 1) {
    const account = `acct-${i}`;
    const user = `user-${i}`;
    const context = { groupId: account };
    const startDay = Math.floor(random.next() * (options.days / 2));
    const cancels = random.chance(0.5);
    const endDay = cancels
      ? Math.min(options.days - 1, startDay + 40 + Math.floor(random.next() * options.days * 0.6))
      : options.days;
    const plan = random.chance(0.5) ? 'team' : 'starter';
    const activity = 0.3 + random.next() * 0.6;
    const id = (kind: string, day = 0, n = 0) => `${kind}-${i}-${day}-${n}`;
    messages.push({
      type: 'group',
      userId: user,
      groupId: account,
      messageId: id('group'),
      timestamp: at(startDay, 8),
      traits: { name: `Account ${i}`, plan, seats: 3 },
    });
    messages.push({
      type: 'track',
      event: 'subscription_started',
      userId: user,
      messageId: id('start'),
      timestamp: at(startDay, 9),
      context,
      properties: { plan, mrr: plan === 'team' ? 200 : 50, seats: 3, interval: 'month' },
    });
    const upgradeDay = startDay + 90;
    if (plan === 'starter' && upgradeDay < endDay && random.chance(0.3)) {
      messages.push({
        type: 'group',
        userId: user,
        groupId: account,
        messageId: id('upgrade'),
        timestamp: at(upgradeDay, 8),
        traits: { plan: 'team', seats: 5 },
      });
    }
    for (let day = startDay + 1; day < endDay; day += 1) {
      // Churners fade out over the five weeks before they cancel.
      const fading = cancels ? Math.min(1, (endDay - day) / 35) : 1;
      if (!random.chance(activity * fading)) continue;
      messages.push({
        type: 'track',
        event: 'login',
        userId: user,
        messageId: id('login', day),
        timestamp: at(day, 10),
        context,
        properties: {},
      });
      for (const [n, feature] of FEATURES.entries()) {
        if (!random.chance(activity * fading * 0.7)) continue;
        messages.push({
          type: 'track',
          event: 'feature_used',
          userId: user,
          messageId: id('feature', day, n),
          timestamp: at(day, 11 + n),
          context,
          properties: { feature },
        });
      }
    }
    if (cancels && endDay < options.days - 1) {
      messages.push({
        type: 'track',
        event: 'subscription_cancelled',
        userId: user,
        messageId: id('cancel'),
        timestamp: at(endDay, 15),
        context,
        properties: { reason: 'too_expensive' },
      });
    }
  }
  return messages.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
}
