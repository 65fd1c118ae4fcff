import { parseMessage, type TrackMessage } from '@tenure/schema';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../time/utc-day.js';
import type { AccountProfile } from './account-profile.js';
import { generateAccounts } from './generate-accounts.js';

const end = new Date('2026-11-20T09:30:00Z');
const options = { accounts: 300, days: 240, seed: 42, end };
const windowStart = Date.parse('2026-11-20T00:00:00Z') - 240 * DAY_MS;
const generated = [...generateAccounts(options)];
const tracks = (messages: unknown[]) =>
  messages.filter((m): m is TrackMessage => (m as TrackMessage).type === 'track');
const dayOf = (message: { timestamp?: string | undefined }) =>
  Math.floor((Date.parse(message.timestamp!) - windowStart) / DAY_MS);

describe('generateAccounts', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = [...generateAccounts({ ...options, accounts: 20 })];
    expect(again.map((a) => a.messages)).toEqual(generated.slice(0, 20).map((a) => a.messages));
    const other = [...generateAccounts({ ...options, accounts: 20, seed: 43 })];
    expect(other.map((a) => a.profile.id)).not.toEqual(again.map((a) => a.profile.id));
  });

  it('produces valid Segment messages with historical timestamps and no sentAt', () => {
    const ids = new Set<string>();
    for (const { messages } of generated.slice(0, 40)) {
      for (const message of messages) {
        expect(parseMessage(message).ok).toBe(true);
        expect(message.sentAt).toBeUndefined();
        const time = Date.parse(message.timestamp!);
        expect(time).toBeGreaterThanOrEqual(windowStart);
        expect(time).toBeLessThan(end.getTime());
        ids.add(message.messageId!);
      }
    }
    const count = generated.slice(0, 40).reduce((sum, a) => sum + a.messages.length, 0);
    expect(ids.size).toBe(count);
  });

  it('mixes plans, billing intervals and fates', () => {
    const profiles = generated.map((a) => a.profile);
    const share = (test: (p: AccountProfile) => boolean) => profiles.filter(test).length / 300;
    expect(new Set(profiles.map((p) => p.plan.name))).toEqual(
      new Set(['starter', 'team', 'business', 'enterprise']),
    );
    expect(share((p) => p.interval === 'year')).toBeGreaterThan(0.2);
    expect(share((p) => p.interval === 'month')).toBeGreaterThan(0.3);
    expect(share((p) => p.fate === 'decaying')).toBeGreaterThan(0.18);
    expect(share((p) => p.fate === 'decaying')).toBeLessThan(0.36);
    expect(share((p) => p.fate === 'sudden')).toBeGreaterThan(0.01);
    expect(share((p) => p.fate === 'noisy')).toBeGreaterThan(0.05);
    const smallDecay = profiles.filter((p) => p.plan.name === 'starter');
    const largeDecay = profiles.filter((p) => p.plan.name !== 'starter');
    const rate = (list: AccountProfile[]) =>
      list.filter((p) => p.fate === 'decaying').length / list.length;
    expect(rate(smallDecay)).toBeGreaterThan(rate(largeDecay));
  });

  it('has weekday-heavy rhythms and uses every feature', () => {
    const byWeekday = new Array<number>(7).fill(0);
    const features = new Set<unknown>();
    for (const { messages } of generated) {
      for (const message of tracks(messages)) {
        if (message.event === 'login') byWeekday[new Date(message.timestamp!).getUTCDay()]! += 1;
        if (message.event === 'feature_used') features.add(message.properties?.feature);
      }
    }
    const weekday = (byWeekday[2]! + byWeekday[3]! + byWeekday[4]!) / 3;
    const weekend = (byWeekday[0]! + byWeekday[6]!) / 2;
    expect(weekday).toBeGreaterThan(4 * weekend);
    expect(features.size).toBe(8);
  });

  it('decays the way the research describes, then cancels with a reason', () => {
    const cancelled = generated.filter(
      (a) =>
        a.profile.fate === 'decaying' && a.profile.cancelDay < 240 && a.profile.decayStart > 60,
    );
    expect(cancelled.length).toBeGreaterThan(10);
    let before = 0;
    let late = 0;
    let resetsBefore = 0;
    let resetsDuring = 0;
    for (const { profile, messages } of cancelled) {
      const events = tracks(messages);
      const inRange = (name: string, from: number, to: number) =>
        events.filter((m) => m.event === name && dayOf(m) >= from && dayOf(m) < to).length;
      before += inRange('login', profile.decayStart - 28, profile.decayStart);
      late += inRange('login', profile.cancelDay - 28, profile.cancelDay + 1);
      resetsBefore += inRange('password_reset_requested', 0, profile.decayStart);
      resetsDuring += inRange('password_reset_requested', profile.decayStart, profile.cancelDay);
      const cancel = events.find((m) => m.event === 'subscription_cancelled');
      expect(cancel?.properties?.reason).toBe(profile.reason);
      expect(events.filter((m) => dayOf(m) > profile.cancelDay)).toEqual([]);
    }
    expect(late).toBeLessThan(before * 0.1);
    expect(resetsDuring).toBeGreaterThan(resetsBefore * 0.5);
  });

  it('lets healthy accounts renew and some cancel suddenly', () => {
    const renewals = generated.flatMap((a) =>
      tracks(a.messages).filter((m) => m.event === 'subscription_renewed'),
    );
    expect(renewals.length).toBeGreaterThan(100);
    const sudden = generated.filter(
      (a) => a.profile.fate === 'sudden' && a.profile.cancelDay < 240,
    );
    for (const { messages } of sudden) {
      expect(tracks(messages).some((m) => m.event === 'subscription_cancelled')).toBe(true);
    }
  });
});
