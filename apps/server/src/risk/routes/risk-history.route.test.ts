import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { DAY_MS } from '../../time/utc-day.js';

const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const daysAgo = (days: number, hour = 10) => new Date(today - days * DAY_MS + hour * 3_600_000);

interface HistoryBody {
  asOf: string;
  snapshots: { takenAt: string; score: number; tier: string }[];
}

describe.each(engines)('GET /v1/accounts/:id/risk/history on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
    // Active 40 to 30 days ago, silent since: the score climbs as the silence grows.
    const logins = Array.from({ length: 10 }, (_, day) => ({
      type: 'track',
      event: 'login',
      userId: 'acme-owner',
      messageId: `login-${day}`,
      timestamp: daysAgo(40 - day).toISOString(),
      context: { groupId: 'acme' },
    }));
    await t.ingest([
      {
        type: 'group',
        userId: 'acme-owner',
        groupId: 'acme',
        messageId: 'acme-group',
        timestamp: daysAgo(41).toISOString(),
        traits: { name: 'Acme', plan: 'team', mrr: 400, seats: 2 },
      },
      ...logins,
    ]);
    // As the risk job stores them (only on a change); two on one day: the later one counts.
    const snapshot = (days: number, hour: number, score: number, tier: string) => ({
      project_id: t.projectId,
      account_id: 'acme',
      taken_at: daysAgo(days, hour).toISOString(),
      score,
      tier,
      factors: '[]',
    });
    await t.app.services.db
      .insertInto('risk_snapshots')
      .values([
        snapshot(28, 8, 20, 'healthy'),
        snapshot(14, 8, 48.25, 'watch'),
        snapshot(7, 8, 60, 'at_risk'),
        snapshot(7, 20, 81, 'critical'),
      ])
      .execute();
  });
  afterAll(() => t.close());

  it('answers one snapshot a day, oldest first, with the scores that were stored', async () => {
    const response = await t.get('/v1/accounts/acme/risk/history');
    expect(response.statusCode).toBe(200);
    const body = response.json<HistoryBody>();
    expect(body.snapshots.map((s) => s.takenAt)).toEqual([
      daysAgo(28, 8).toISOString(),
      daysAgo(14, 8).toISOString(),
      daysAgo(7, 20).toISOString(),
    ]);
    expect(body.snapshots.map((s) => [s.score, s.tier])).toEqual([
      [20, 'healthy'],
      [48.3, 'watch'],
      [81, 'critical'],
    ]);
  });

  it('stops at asOf, and starts with the score in force when the range begins', async () => {
    const asOf = daysAgo(10).toISOString();
    const body = (
      await t.get(`/v1/accounts/acme/risk/history?asOf=${asOf}&days=2`)
    ).json<HistoryBody>();
    expect(body.snapshots.map((s) => s.takenAt)).toEqual([daysAgo(14, 8).toISOString()]);
    const recent = (await t.get('/v1/accounts/acme/risk/history?days=10')).json<HistoryBody>();
    expect(recent.snapshots.map((s) => s.score)).toEqual([48.3, 81]);
  });

  it('refuses a bad range, and sees nothing of another project', async () => {
    expect((await t.get('/v1/accounts/acme/risk/history?days=0')).statusCode).toBe(400);
    expect((await t.get('/v1/accounts/acme/risk/history?days=9999')).statusCode).toBe(400);
    const other = await t.otherProjectKey();
    const body = (await t.get('/v1/accounts/acme/risk/history', other)).json<HistoryBody>();
    expect(body.snapshots).toEqual([]);
  });
});
