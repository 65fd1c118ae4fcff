import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeSnapshots } from '../src/risk/risk-snapshots.sql.js';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

// The smaller points of issue #16: what a newcomer meets in the first hour.
describe.each(engines)('first-hour details on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('tells a write key sent to a query endpoint that it is a write key', async () => {
    for (const authorization of [`Bearer ${t.writeKey}`, t.writeAuth]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toEqual({
        code: 'write_key_on_query_endpoint',
        message: expect.stringContaining(
          'This is a write key; query endpoints take the secret key',
        ),
      });
    }
    const wrong = await t.get('/v1/accounts', 'ts_not-a-key');
    expect(wrong.json().error.code).toBe('invalid_secret_key');
  });

  it('answers GET / with a page pointing at the docs, not a JSON 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('href="/docs"');
  });

  it('marks churned accounts in analytics_accounts and shows no stale score for them', async () => {
    const acme = { context: { groupId: 'acme' } };
    const globex = { context: { groupId: 'globex' } };
    await t.ingest([
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } },
      { type: 'group', userId: 'u2', groupId: 'globex', traits: { name: 'Globex' } },
      { type: 'track', userId: 'u1', event: 'login', ...acme },
      { type: 'track', userId: 'u2', event: 'login', ...globex },
    ]);
    await takeSnapshots(t.app.services.db, t.projectId);
    await t.ingest([
      {
        type: 'track',
        userId: 'u1',
        event: 'subscription_cancelled',
        properties: { reason: 'price' },
        ...acme,
      },
    ]);
    const { rows } = await sql<{
      account_id: string;
      churned: boolean;
      churned_at: Date | null;
      risk_score: number | null;
    }>`select account_id, churned, churned_at, risk_score from analytics_accounts
       where project_id = ${t.projectId} order by account_id`.execute(t.app.services.db);
    expect(rows).toEqual([
      { account_id: 'acme', churned: true, churned_at: expect.any(Date), risk_score: null },
      { account_id: 'globex', churned: false, churned_at: null, risk_score: expect.any(Number) },
    ]);
  });
});
