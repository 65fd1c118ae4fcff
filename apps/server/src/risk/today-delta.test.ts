import { describe, expect, it } from 'vitest';
import type { CommittedEvent } from '../ingest/write-lane.js';
import { DayNeeds, leavesKeptScore, mergeNeeds, type Need, planKeeping } from './today-delta.js';

const TODAY = '2026-12-06';
const event = (fields: Partial<CommittedEvent>): CommittedEvent => ({
  projectId: 'p',
  accountId: 'a',
  timestamp: `${TODAY}T10:00:00.000Z`,
  type: 'track',
  event: 'login',
  feature: null,
  ...fields,
});
const delta = (fields: Partial<Exclude<Need, 'rescore'>> = {}): Exclude<Need, 'rescore'> => ({
  day: TODAY,
  current: false,
  login: false,
  kbView: false,
  milestone: false,
  features: new Set<string>(),
  ...fields,
});
const kept = (today = { logins: 1, kbViews: 0, milestones: 0, keyFeaturesUsed: ['reports'] }) => ({
  scoredDay: TODAY,
  today,
});

describe('what new events may change in a kept score', () => {
  const needs = new DayNeeds(TODAY);

  it('sends late data and identities to a full scoring, terms and tickets of the day to a refresh', () => {
    for (const other of [
      event({ timestamp: '2026-12-05T23:59:59.000Z' }),
      event({ event: 'support_ticket_opened', timestamp: '2026-12-05T23:59:59.000Z' }),
      event({ type: 'identify', event: null }),
      event({ type: 'alias', event: null }),
    ]) {
      expect(needs.of(other)).toBe('rescore');
    }
    for (const current of [
      event({ type: 'group', event: null }),
      event({ event: 'support_ticket_opened' }),
      event({ event: 'support_ticket_resolved' }),
      event({ event: 'subscription_changed' }),
      event({ event: 'subscription_cancelled' }),
    ]) {
      expect(needs.of(current)).toEqual(delta({ current: true }));
    }
    expect(needs.of(event({ type: 'page', event: 'Home' }))).toEqual(delta());
    // A page named like a track event is still only a page view; a custom event only counts.
    expect(needs.of(event({ type: 'page', event: 'login' }))).toEqual(delta());
    expect(needs.of(event({ event: 'report_exported' }))).toEqual(delta());
    expect(needs.of(event({ event: 'feature_used', feature: 'exports' }))).toEqual(
      delta({ features: new Set(['exports']) }),
    );
  });

  it('builds each kind of need once a day', () => {
    const login = needs.of(event({}));
    expect(needs.of(event({ timestamp: `${TODAY}T23:59:59.999Z` }))).toBe(login);
    expect(Object.isFrozen(login)).toBe(true);
    const reports = needs.of(event({ event: 'feature_used', feature: 'reports' }));
    expect(needs.of(event({ event: 'feature_used', feature: 'reports' }))).toBe(reports);
    expect(needs.of(event({ event: 'feature_used', feature: 'exports' }))).not.toBe(reports);
    expect(new DayNeeds('2026-12-07').of(event({ timestamp: '2026-12-07T01:00:00.000Z' }))).toEqual(
      { ...delta({ login: true }), day: '2026-12-07' },
    );
  });

  it('merges an account’s needs, a rescore or another day winning', () => {
    const login = needs.of(event({}));
    const view = needs.of(event({ event: 'kb_article_viewed' }));
    expect(mergeNeeds(login, mergeNeeds(view, view))).toEqual(delta({ login: true, kbView: true }));
    expect(mergeNeeds(login, delta({ current: true }))).toEqual(
      delta({ login: true, current: true }),
    );
    expect(mergeNeeds(login, 'rescore')).toBe('rescore');
    expect(mergeNeeds(login, { ...delta(), day: '2026-12-07' })).toBe('rescore');
  });

  it('leaves a kept row only when it already shows what the events did', () => {
    const keys = ['reports', 'dashboards'];
    expect(leavesKeptScore(delta({ login: true }), kept(), keys)).toBe(true);
    expect(
      leavesKeptScore(delta({ features: new Set(['reports', 'exports']) }), kept(), keys),
    ).toBe(true);
    expect(leavesKeptScore(delta({ features: new Set(['exports']) }), kept(), null)).toBe(false);
    expect(leavesKeptScore(delta({ features: new Set(['dashboards']) }), kept(), keys)).toBe(false);
    expect(leavesKeptScore(delta({ milestone: true }), kept(), keys)).toBe(false);
    expect(leavesKeptScore(delta({ kbView: true }), kept(), keys)).toBe(false);
    expect(
      leavesKeptScore(delta({ login: true }), { ...kept(), scoredDay: '2026-12-05' }, keys),
    ).toBe(false);
    expect(leavesKeptScore(delta(), undefined, keys)).toBe(false);
    expect(leavesKeptScore(delta({ login: true, current: true }), kept(), keys)).toBe(false);
    const quiet = kept({ logins: 0, kbViews: 0, milestones: 0, keyFeaturesUsed: [] });
    expect(leavesKeptScore(delta({ login: true }), quiet, keys)).toBe(false);
  });

  it('plans: rescores in full, refreshes terms and tickets, weighs the rest against their rows', async () => {
    const reads: string[][] = [];
    const readKept = async (ids: string[]) => {
      reads.push(ids);
      return new Map([
        ['b', kept()],
        ['c', kept()],
        ['d', { ...kept(), scoredDay: '2026-12-05' }],
      ]);
    };
    const needs = new Map<string, Need>([
      ['a', 'rescore'],
      ['b', delta({ login: true })],
      ['c', delta({ kbView: true })],
      ['d', delta({ kbView: true })],
      ['e', delta({ login: true })],
      ['f', delta({ login: true, current: true })],
    ]);
    expect(await planKeeping(needs, readKept, [])).toEqual({
      rescore: ['a', 'd', 'e'],
      refresh: ['f', 'c'],
      current: new Set(['f']),
    });
    expect(reads).toEqual([['b', 'c', 'd', 'e']]);
    expect(await planKeeping(new Map([['a', 'rescore']]), readKept, [])).toEqual({
      rescore: ['a'],
      refresh: [],
      current: new Set(),
    });
    expect(reads).toHaveLength(1);
  });
});
