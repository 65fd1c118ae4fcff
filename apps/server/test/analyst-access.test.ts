import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { citusLane, engines } from './test-database.js';

const HISTORY = [
  {
    type: 'group',
    userId: 'ann',
    groupId: 'acme',
    traits: { name: 'Acme', plan: 'pro', mrr: 500 },
    timestamp: '2026-10-01T09:00:00Z',
  },
  {
    type: 'identify',
    userId: 'ann',
    traits: { email: 'ann@acme.test', name: 'Ann' },
    timestamp: '2026-10-01T09:00:01Z',
  },
  {
    type: 'track',
    userId: 'ann',
    event: 'login',
    timestamp: '2026-10-05T09:00:00Z',
    context: { groupId: 'acme' },
  },
  {
    type: 'track',
    userId: 'ann',
    event: 'feature_used',
    properties: { feature: 'reports' },
    timestamp: '2026-10-05T09:01:00Z',
    context: { groupId: 'acme' },
  },
  {
    type: 'track',
    userId: 'ann',
    event: 'feature_used',
    properties: { feature: 'reports' },
    timestamp: '2026-10-05T09:02:00Z',
    context: { groupId: 'acme' },
  },
];

describe.each(engines)('analyst views on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.ingest(HISTORY);
  });
  afterAll(() => t.close());

  const query = async <T>(text: string) => (await sql.raw<T>(text).execute(t.app.services.db)).rows;

  it('presents events, accounts, users, daily activity and feature usage flat', async () => {
    const p = `project_id = '${t.projectId}'`;
    expect(
      await query(
        `select day::text, event, feature from analytics_events where ${p} and type = 'track' order by timestamp`,
      ),
    ).toEqual([
      { day: '2026-10-05', event: 'login', feature: null },
      { day: '2026-10-05', event: 'feature_used', feature: 'reports' },
      { day: '2026-10-05', event: 'feature_used', feature: 'reports' },
    ]);
    expect(
      await query(`select account_id, name, plan, mrr from analytics_accounts where ${p}`),
    ).toEqual([{ account_id: 'acme', name: 'Acme', plan: 'pro', mrr: 500 }]);
    expect(
      await query(`select user_id, email, name, account_id from analytics_users where ${p}`),
    ).toEqual([{ user_id: 'ann', email: 'ann@acme.test', name: 'Ann', account_id: 'acme' }]);
    expect(
      await query(
        `select account_name, day::text, logins, feature_uses, active_users from analytics_account_activity where ${p}`,
      ),
    ).toEqual([
      { account_name: 'Acme', day: '2026-10-05', logins: 1, feature_uses: 2, active_users: 1 },
    ]);
    expect(
      await query(`select feature, uses, users from analytics_feature_usage where ${p}`),
    ).toEqual([{ feature: 'reports', uses: 2, users: 1 }]);
  });

  it.runIf(engine === 'postgres' && citusLane)(
    'cannot SET ROLE tenure_analyst on Citus',
    async () => {
      // Citus opens its connections to the workers as the current role, and tenure_analyst is
      // NOLOGIN (docs/operations.md, "Not supported on Citus").
      await expect(
        t.app.services.db.transaction().execute(async (tx) => {
          await sql`set local role tenure_analyst`.execute(tx);
          await sql`select count(*) from analytics_events`.execute(tx);
        }),
      ).rejects.toThrow(/role "tenure_analyst" is not permitted to log in/);
    },
  );

  it.runIf(engine === 'postgres' && !citusLane)(
    'gives tenure_analyst read-only access',
    async () => {
      const db = t.app.services.db;
      await db.transaction().execute(async (tx) => {
        await sql`set local role tenure_analyst`.execute(tx);
        const rows = await sql`select count(*)::int as n from analytics_events`.execute(tx);
        expect(rows.rows).toEqual([{ n: HISTORY.length }]);
      });
      await expect(
        db.transaction().execute(async (tx) => {
          await sql`set local role tenure_analyst`.execute(tx);
          await sql`delete from accounts`.execute(tx);
        }),
      ).rejects.toThrow(/permission denied/);
      await expect(
        db.transaction().execute(async (tx) => {
          await sql`set local role tenure_analyst`.execute(tx);
          await sql`select * from api_keys`.execute(tx);
        }),
      ).rejects.toThrow(/permission denied/);
    },
  );
});
