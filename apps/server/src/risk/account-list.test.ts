import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { listPage, type PagePosition } from './account-list.js';
import { segmentLabels, segmentsOf } from './account-segments.js';
import { decodeCursor, encodeCursor } from './list-cursor.js';
import { healthyFeatures } from './risk.fixture.js';
import type { RiskTier } from './risk.types.js';
import type { ScoredAccount } from './score-accounts.js';

const settings = { newCustomerDays: 90, sizeBands: [100, 1000, 10000] };

function account(id: string, score: number, mrr: number | null, tier: RiskTier = 'healthy') {
  return {
    features: healthyFeatures({ accountId: id, mrr, tenureDays: score }),
    risk: { accountId: id, score, tier },
  } as unknown as ScoredAccount;
}

const accounts = [
  account('a', 50, 100, 'watch'),
  account('b', 80, null, 'critical'),
  account('c', 50, 2000, 'watch'),
  account('d', 10, 20),
  account('e', 80, 300, 'critical'),
];

describe('listPage', () => {
  it('sorts descending with ties broken by id, and walks pages exactly once', () => {
    const seen: string[] = [];
    let after: PagePosition | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = listPage(accounts, settings, { sort: 'risk', filters: {}, limit: 2, after });
      seen.push(...result.accounts.map((a) => a.features.accountId));
      if (!result.hasMore) break;
      after = result.last!;
    }
    expect(seen).toEqual(['b', 'e', 'a', 'c', 'd']);
  });

  it('puts missing sort values last', () => {
    const page = listPage(accounts, settings, { sort: 'mrr', filters: {}, limit: 10 });
    expect(page.accounts.map((a) => a.features.accountId)).toEqual(['c', 'e', 'a', 'd', 'b']);
    expect(page.hasMore).toBe(false);
  });

  it('filters by tier, plan and segment', () => {
    const ids = (filters: object) =>
      listPage(accounts, settings, { sort: 'risk', filters, limit: 10 }).accounts.map(
        (a) => a.features.accountId,
      );
    expect(ids({ tiers: ['critical'] })).toEqual(['b', 'e']);
    expect(ids({ plan: 'enterprise' })).toEqual([]);
    expect(ids({ segment: 'new' })).toEqual(['b', 'e', 'a', 'c', 'd']);
    expect(ids({ segment: 'size:0-100' })).toEqual(['d']);
    expect(ids({ segment: 'size:unknown' })).toEqual(['b']);
  });
});

describe('segments', () => {
  it('labels tenure and MRR band from the settings', () => {
    expect(segmentsOf({ tenureDays: 30, mrr: 250 }, settings)).toEqual(['new', 'size:100-1000']);
    expect(segmentsOf({ tenureDays: 400, mrr: 20000 }, settings)).toEqual([
      'established',
      'size:10000+',
    ]);
    expect(segmentLabels(settings)).toEqual([
      'new',
      'established',
      'size:0-100',
      'size:100-1000',
      'size:1000-10000',
      'size:10000+',
      'size:unknown',
    ]);
  });
});

describe('list cursor', () => {
  it('round-trips and refuses damage or another query', () => {
    const cursor = { asOf: '2026-11-22T00:00:00.000Z', query: 'q', key: 80, id: 'e' };
    expect(decodeCursor(encodeCursor(cursor), 'q')).toEqual(cursor);
    expect(() => decodeCursor('garbage', 'q')).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor(cursor), 'other')).toThrow(/different sort or filter/);
  });
});
