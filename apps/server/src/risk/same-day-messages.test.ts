import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

const KEY_FEATURES = ['reports', 'exports', 'dashboards', 'alerts', 'integrations', 'api'];
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

// The score counts whole days before today; an account active today must not be told it
// "never" did, or did "0", what it did an hour ago (issue #16, point 5).
describe.each(engines)('risk messages after same-day activity on %s', (engine) => {
  let t: TestApp;
  let risk: {
    factors: Array<{ key: string; message: string }>;
    recommendations: Array<{ message: string }>;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { keyFeatures: KEY_FEATURES },
    });
    expect(put.statusCode).toBe(200);
    const today = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const acme = { context: { groupId: 'acme' } };
    await t.ingest([
      {
        type: 'group',
        userId: 'u1',
        groupId: 'acme',
        traits: { name: 'Acme', createdAt: daysAgo(200) },
        timestamp: daysAgo(200),
      },
      { type: 'track', userId: 'u1', event: 'login', timestamp: daysAgo(40), ...acme },
      { type: 'track', userId: 'u1', event: 'login', timestamp: today(5), ...acme },
      ...['reports', 'exports', 'dashboards'].map((feature) => ({
        type: 'track',
        userId: 'u1',
        event: 'feature_used',
        properties: { feature },
        timestamp: today(4),
        ...acme,
      })),
      {
        type: 'track',
        userId: 'u1',
        event: 'kb_article_viewed',
        properties: { articleId: 'getting-started' },
        timestamp: today(3),
        ...acme,
      },
    ]);
    const response = await t.get('/v1/accounts/acme/risk');
    expect(response.statusCode).toBe(200);
    risk = response.json();
  });
  afterAll(() => t.close());

  const message = (key: string) => risk.factors.find((factor) => factor.key === key)?.message;

  it('counts today in what the messages claim, and names the whole-day window', () => {
    const adoption = message('feature_adoption');
    expect(adoption).toBe(
      'Uses 3 of 6 key features counting today (none in the 28 days before today, which the score counts); never used Alerts, Integrations and 1 more',
    );
    expect(message('kb_usage')).toBe(
      '1 knowledge-base article view today (none in the 90 days before today, which the score counts)',
    );
    expect(message('days_since_last_login')).toMatch(
      /^Logged in today, after \d+ days without a login/,
    );
  });

  it('never says "never" or "no" about what the account did today', () => {
    const texts = [
      ...risk.factors.map((factor) => factor.message),
      ...risk.recommendations.map((play) => play.message),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/never used (Reports|Exports|Dashboards)/);
      expect(text).not.toMatch(/(Never used|Not using) (Reports|Exports|Dashboards)/);
      expect(text).not.toMatch(/^Uses 0 of/);
      expect(text).not.toMatch(/^No (knowledge-base|login)/);
    }
  });
});
