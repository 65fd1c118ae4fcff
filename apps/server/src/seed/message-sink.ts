import type { Message } from '@tenure/schema';
import { DAY_MS } from '../time/utc-day.js';
import type { SeededRandom } from './seeded-random.js';

const HOUR_MS = 3_600_000;

/**
 * Collects one account's Segment messages with deterministic ids (so seeding the same data
 * twice is deduplicated, not doubled) and historical timestamps. No `sentAt`: the server then
 * keeps each `timestamp` as sent instead of correcting it for clock skew.
 */
export class MessageSink {
  readonly messages: Message[] = [];
  private counter = 0;

  constructor(
    private readonly idPrefix: string,
    private readonly accountId: string,
    /** 00:00 UTC of day 0 of the window. */
    private readonly windowStart: number,
    private readonly random: SeededRandom,
  ) {}

  /** A time on `day` during (mostly) business hours, plus `offsetMinutes`. */
  timeOn(day: number, offsetMinutes = 0): number {
    const hour = this.random.chance(0.85)
      ? this.random.between(8, 18)
      : this.random.between(0, 23.5);
    return this.windowStart + day * DAY_MS + hour * HOUR_MS + offsetMinutes * 60_000;
  }

  dayStart(day: number): number {
    return this.windowStart + day * DAY_MS;
  }

  track(time: number, userId: string, event: string, properties: Record<string, unknown> = {}) {
    this.messages.push({
      type: 'track',
      event,
      userId,
      properties,
      context: { groupId: this.accountId },
      ...this.stamp(time),
    });
  }

  identify(time: number, userId: string, traits: Record<string, unknown>) {
    this.messages.push({ type: 'identify', userId, traits, ...this.stamp(time) });
  }

  group(time: number, userId: string, traits: Record<string, unknown>) {
    this.messages.push({
      type: 'group',
      userId,
      groupId: this.accountId,
      traits,
      ...this.stamp(time),
    });
  }

  /** The messages in time order (tickets resolve later than they are generated). */
  sorted(): Message[] {
    return this.messages.sort((a, b) => Date.parse(a.timestamp!) - Date.parse(b.timestamp!));
  }

  private stamp(time: number) {
    this.counter += 1;
    return {
      messageId: `${this.idPrefix}-${this.counter}`,
      timestamp: new Date(Math.floor(time)).toISOString(),
    };
  }
}
