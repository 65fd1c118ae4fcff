import { describe, expect, it } from 'vitest';
import { PeerAdoptionCounter, peerAdoptionOf } from './peer-adoption.js';
import { healthyFeatures, KEY_FEATURES } from './risk.fixture.js';

describe('peer adoption', () => {
  const accounts = Array.from({ length: 40 }, (_, i) =>
    healthyFeatures({
      accountId: `a${i}`,
      plan: ['team', 'business', null][i % 3] ?? null,
      keyFeaturesUsed28: KEY_FEATURES.filter((_, k) => (i + k) % (2 + (i % 3)) === 0),
      logins28: i % 7 === 0 ? 0 : 5,
      churnedAt: i % 11 === 0 ? '2026-11-01T00:00:00.000Z' : null,
    }),
  );

  it('counted a slice at a time, equals counting every account at once', () => {
    const counter = new PeerAdoptionCounter(KEY_FEATURES);
    for (let start = 0; start < accounts.length; start += 7) {
      counter.add(accounts.slice(start, start + 7));
    }
    expect(counter.adoption()).toEqual(peerAdoptionOf(accounts, KEY_FEATURES));
  });

  it('shares only retained accounts, on plans with at least 5 of them', () => {
    const adoption = peerAdoptionOf(accounts, KEY_FEATURES);
    const retainedTeam = accounts.filter(
      (a) => a.plan === 'team' && a.churnedAt === null && a.logins28 > 0,
    );
    expect(adoption.team?.accounts).toBe(retainedTeam.length);
    expect(adoption.team?.shares?.reports).toBe(
      retainedTeam.filter((a) => a.keyFeaturesUsed28.includes('reports')).length /
        retainedTeam.length,
    );
    const few = peerAdoptionOf(accounts.slice(0, 6), KEY_FEATURES);
    expect(few.team?.accounts).toBeLessThan(5);
    expect(few.team?.shares).toBeUndefined();
  });
});
