import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { createProject } from '../admin/projects.js';
import { seedProject } from '../seed/seed-project.js';
import { DAY_MS } from '../time/utc-day.js';

/** Midnight UTC today, so "days ago" are whole days. */
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const daysAgo = (days: number, hour = 10) => new Date(today - days * DAY_MS + hour * 3_600_000);

/** `cursor` with some of its fields replaced, as a client could edit it. */
function forgedCursor(cursor: string, fields: Record<string, unknown>): string {
  const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Buffer.from(JSON.stringify({ ...decoded, ...fields })).toString('base64url');
}

interface ListBody {
  asOf: string;
  accounts: {
    accountId: string;
    name: string | null;
    score: number;
    mrr: number | null;
    tier: string;
    plan: string;
  }[];
  nextCursor: string | null;
  summary: { accounts: number } | null;
}

describe.each(engines)('risk API on %s', (engine) => {
  let t: TestApp;
  let other: { projectId: string; secretKey: string };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const get = (url: string, key = t.secretKey) =>
    t.app.inject({ method: 'GET', url, headers: bearer(key) });
  const send = async (batch: object[]) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: { batch },
    });
    expect(response.json()).toMatchObject({ rejected: [] });
  };
  const login = (accountId: string, when: Date, id: string) => ({
    type: 'track',
    event: 'login',
    userId: `${accountId}-owner`,
    messageId: id,
    timestamp: when.toISOString(),
    context: { groupId: accountId },
  });

  beforeAll(async () => {
    t = await createTestApp(engine);
    other = await createProject(t.app.services.db, { name: 'Other project' });
    // 24 generated accounts for lists and pagination, plus one hand-made account.
    await seedProject(t.app.services.writer, t.projectId, { accounts: 24, days: 90, seed: 5 });
    await send([
      {
        type: 'group',
        userId: 'acme-owner',
        groupId: 'acme',
        messageId: 'acme-group',
        timestamp: daysAgo(60).toISOString(),
        traits: { name: 'Acme', plan: 'team', mrr: 400, seats: 5 },
      },
      ...[60, 45, 40, 30].map((days) => login('acme', daysAgo(days), `acme-login-${days}`)),
    ]);
  });
  afterAll(() => t.close());

  describe('GET /v1/accounts/:accountId/risk', () => {
    it('explains the score in plain language', async () => {
      const response = await get('/v1/accounts/acme/risk');
      expect(response.statusCode).toBe(200);
      const risk = response.json();
      expect(risk).toMatchObject({ accountId: 'acme', model: 'default', churnedAt: null });
      expect(risk.score).toBeGreaterThanOrEqual(30);
      const recency = risk.factors.find((f: { key: string }) => f.key === 'days_since_last_login');
      expect(recency).toMatchObject({
        value: 30,
        baseline: 21,
        contribution: 35,
        message: 'No login for 30 days (threshold 21)',
      });
      expect(risk.recommendations[0]).toEqual({
        factor: 'days_since_last_login',
        action: 'owner_check_in',
        message: 'No login for 30 days: owner check-in',
      });
    });

    it('answers as of a past time with only the data that existed then', async () => {
      const asOf = daysAgo(35, 12).toISOString();
      const before = await get(`/v1/accounts/acme/risk?asOf=${asOf}`);
      expect(before.statusCode).toBe(200);
      expect(before.json().factors).toContainEqual(
        expect.objectContaining({ key: 'days_since_last_login', value: 5 }),
      );
      // Events after asOf (the same day, later days, a ticket) do not change the answer.
      await send([
        login('acme', daysAgo(35, 18), 'acme-late-same-day'),
        login('acme', daysAgo(34), 'acme-next-day'),
        {
          type: 'track',
          event: 'support_ticket_opened',
          userId: 'acme-owner',
          messageId: 'acme-ticket',
          timestamp: daysAgo(35, 13).toISOString(),
          properties: { ticketId: 'acme-t1' },
          context: { groupId: 'acme' },
        },
      ]);
      const after = await get(`/v1/accounts/acme/risk?asOf=${asOf}`);
      expect(after.json()).toEqual(before.json());
      const now = await get('/v1/accounts/acme/risk');
      expect(now.json().factors).toContainEqual(
        expect.objectContaining({ key: 'support_tickets', value: 1 }),
      );
    });

    it('treats a future asOf as now', async () => {
      const response = await get('/v1/accounts/acme/risk?asOf=2999-01-01T00:00:00Z');
      expect(response.statusCode).toBe(200);
      expect(Date.parse(response.json().asOf)).toBeLessThanOrEqual(Date.now());
      expect(Date.now() - Date.parse(response.json().asOf)).toBeLessThan(60_000);
    });

    it('is 404 for an unknown account and for an account before it existed', async () => {
      const unknown = await get('/v1/accounts/nobody/risk');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('not_found');
      const early = await get(`/v1/accounts/acme/risk?asOf=${daysAgo(61).toISOString()}`);
      expect(early.statusCode).toBe(404);
    });

    it('rejects a bad asOf with a clear 400', async () => {
      for (const asOf of ['yesterday', '2026-13-45', '1999-12-31']) {
        const response = await get(`/v1/accounts/acme/risk?asOf=${asOf}`);
        expect(response.statusCode, asOf).toBe(400);
        expect(response.json().error.code).toBe('invalid_request');
        expect(response.json().error.message).toMatch(/^query\.asOf/);
      }
    });
  });

  describe('project scoping', () => {
    it("never shows another project's accounts", async () => {
      const risk = await get('/v1/accounts/acme/risk', other.secretKey);
      expect(risk.statusCode).toBe(404);
      const list = await get('/v1/accounts', other.secretKey);
      expect(list.statusCode).toBe(200);
      expect(list.json().accounts).toEqual([]);
    });

    it('needs a secret key', async () => {
      const none = await t.app.inject({ method: 'GET', url: '/v1/accounts' });
      expect(none.statusCode).toBe(401);
      const writeKey = await get('/v1/accounts', t.writeKey);
      expect(writeKey.statusCode).toBe(401);
    });
  });

  describe('GET /v1/accounts', () => {
    const walk = async (query: string, limit: number) => {
      const seen: ListBody['accounts'] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/v1/accounts?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await get(url);
        expect(response.statusCode).toBe(200);
        const body = response.json() as ListBody;
        expect(body.accounts.length).toBeLessThanOrEqual(limit);
        seen.push(...body.accounts);
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      return seen;
    };

    it('walks every account exactly once, riskiest first', async () => {
      const all = (await get('/v1/accounts?limit=500')).json() as ListBody;
      expect(all.nextCursor).toBeNull();
      expect(all.accounts.length).toBeGreaterThan(15);
      const walked = await walk('sort=risk', 4);
      expect(walked.map((a) => a.accountId)).toEqual(all.accounts.map((a) => a.accountId));
      expect(new Set(walked.map((a) => a.accountId)).size).toBe(walked.length);
      const scores = walked.map((a) => a.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('sorts by MRR with the same guarantee', async () => {
      const walked = await walk('sort=mrr', 5);
      const mrrs = walked.map((a) => a.mrr ?? -1);
      expect(mrrs).toEqual([...mrrs].sort((a, b) => b - a));
      expect(new Set(walked.map((a) => a.accountId)).size).toBe(walked.length);
    });

    it('filters by tier, plan and segment', async () => {
      const all = (await get('/v1/accounts?limit=500')).json() as ListBody;
      const tier = all.accounts[0]!.tier;
      const byTier = (await get(`/v1/accounts?tier=${tier}&limit=500`)).json() as ListBody;
      expect(byTier.accounts.length).toBe(all.accounts.filter((a) => a.tier === tier).length);
      const byPlan = (await get('/v1/accounts?plan=team&limit=500')).json() as ListBody;
      expect(byPlan.accounts.every((a) => a.plan === 'team')).toBe(true);
      expect(byPlan.accounts.map((a) => a.accountId)).toContain('acme');
      const both = (await get('/v1/accounts?tier=healthy,watch,at_risk,critical')).json();
      expect(both.accounts.length).toBe(Math.min(50, all.accounts.length));
      const established = (await get('/v1/accounts?segment=established&limit=500')).json();
      const fresh = (await get('/v1/accounts?segment=new&limit=500')).json();
      expect(established.accounts.length + fresh.accounts.length).toBe(all.accounts.length);
    });

    it('searches names and ids, ignoring case, with the other filters and pages', async () => {
      const ids = (body: ListBody) => body.accounts.map((a) => a.accountId);
      expect(ids((await get('/v1/accounts?q=ACM')).json())).toEqual(['acme']);
      expect(ids((await get('/v1/accounts?q=%20cMe%20&plan=team')).json())).toEqual(['acme']);
      expect(ids((await get('/v1/accounts?q=acme&plan=starter')).json())).toEqual([]);
      // A past list (computed on demand) searches the same way.
      const past = (await get(`/v1/accounts?q=Acme&asOf=${daysAgo(35).toISOString()}`)).json();
      expect(ids(past)).toEqual(['acme']);
      // Wildcards of LIKE are plain characters.
      expect(ids((await get('/v1/accounts?q=%25')).json())).toEqual([]);
      expect(ids((await get('/v1/accounts?q=_')).json())).toEqual([]);

      // Generated accounts: a letter in many names and ids, so the search spans pages.
      const all = (await get('/v1/accounts?limit=500')).json() as ListBody;
      const expected = all.accounts.filter((a) =>
        `${a.name ?? ''}\n${a.accountId}`.toLowerCase().includes('e'),
      );
      expect(expected.length).toBeGreaterThan(8);
      expect(expected.length).toBeLessThan(all.accounts.length);
      const walked = await walk('q=E', 4);
      expect(walked.map((a) => a.accountId)).toEqual(expected.map((a) => a.accountId));
      const first = (await get('/v1/accounts?q=e&limit=2')).json() as ListBody;
      expect(first.summary?.accounts).toBe(expected.length);
      // A cursor belongs to its search.
      const moved = await get(`/v1/accounts?q=acme&limit=2&cursor=${first.nextCursor}`);
      expect(moved.statusCode).toBe(400);
      expect(moved.json().error.message).toMatch(/different sort or filter/);
    });

    it('refuses a blank, overlong or NUL search with a clear message', async () => {
      for (const [query, message] of [
        ['q=', /query\.q: Must not be blank/],
        ['q=%20%20', /query\.q: Must not be blank/],
        [`q=${'a'.repeat(101)}`, /query\.q: .*100/],
        ['q=a%00b', /query\.q: Must not contain NUL/],
      ] as const) {
        const response = await get(`/v1/accounts?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().error.code, query).toBe('invalid_request');
        expect(response.json().error.message, query).toMatch(message);
      }
    });

    it('rejects bad parameters with invalid_request', async () => {
      const sortPage = (await get('/v1/accounts?sort=risk&limit=2')).json() as ListBody;
      for (const query of [
        'limit=0',
        'limit=501',
        'limit=ten',
        'sort=name',
        'tier=doomed',
        'segment=giant',
        'status=maybe',
        'cursor=not-a-cursor',
        `sort=mrr&cursor=${sortPage.nextCursor}`,
        // An unknown filter is refused, not ignored; so is a current list's cursor on an asOf list.
        'tiers=critical',
        'churned=true',
        `asOf=2026-01-01&cursor=${sortPage.nextCursor}`,
        `status=all&cursor=${sortPage.nextCursor}`,
        'asOf=soon',
        'asOf=2026-02-30',
        'limit=1&limit=2',
        // Cursors are base64 JSON a client can edit: a forged asOf is refused like a bad one.
        ...['0001-01-01T00:00:00.000Z', '99999', '1970-01-01T00:00:00.000Z', 'Jan 1 2026'].map(
          (asOf) => `cursor=${forgedCursor(sortPage.nextCursor!, { asOf })}`,
        ),
      ]) {
        const response = await get(`/v1/accounts?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().error.code, query).toBe('invalid_request');
      }
    });
  });

  describe('settings', () => {
    it('round-trips, fills defaults and changes the scores', async () => {
      const initial = await get('/v1/settings');
      expect(initial.json()).toMatchObject({ inactivityDays: 21, keyFeatures: [] });
      const put = await t.app.inject({
        method: 'PUT',
        url: '/v1/settings',
        headers: bearer(t.secretKey),
        payload: { inactivityDays: 40, factorWeights: { kb_usage: 0 } },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toEqual({
        ...initial.json(),
        inactivityDays: 40,
        factorWeights: { kb_usage: 0 },
      });
      expect((await get('/v1/settings')).json()).toEqual(put.json());
      const risk = (await get('/v1/accounts/acme/risk')).json();
      const recency = risk.factors.find((f: { key: string }) => f.key === 'days_since_last_login');
      expect(recency.message).toBe('Last login 30 days ago (threshold 40)');
      expect(risk.recommendations).toContainEqual(
        expect.objectContaining({ message: 'Last login 30 days ago: owner check-in' }),
      );
      expect(risk.factors.find((f: { key: string }) => f.key === 'kb_usage').contribution).toBe(0);
      await t.app.inject({
        method: 'PUT',
        url: '/v1/settings',
        headers: bearer(t.secretKey),
        payload: {},
      });
    });

    it('refuses invalid settings and keeps the old ones', async () => {
      const put = (payload: string | object | undefined, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: 'PUT',
          url: '/v1/settings',
          headers: { ...bearer(t.secretKey), ...headers },
          ...(payload === undefined ? {} : { payload }),
        });
      // Not the defaults, so that a request that resets them shows.
      expect((await put({ inactivityDays: 30, keyFeatures: ['reports'] })).statusCode).toBe(200);
      const before = (await get('/v1/settings')).json();
      for (const payload of [
        { inactivityDays: 0 },
        { tierCutoffs: { watch: 80, at_risk: 50, critical: 90 } },
        { factorWeights: { login_trend: -1 } },
        { keyFeatures: ['re\u0000ports'] },
        { factorWeights: { 'kb\u0000usage': 1 } },
        // A typo must not silently reset the field it meant (PUT fills defaults).
        { inactivtyDays: 30 },
        { tierCutoffs: { watch: 30, at_risk: 55, critical: 75, healthy: 0 } },
        { tierBy: 'churn' },
        { probabilityCutoffs: { watch: 0.5, at_risk: 0.25, critical: 0.75 } },
        { probabilityCutoffs: { watch: 0.1, at_risk: 0.25, critical: 1.5 } },
        { factorWeights: { login_recency: 2 } },
        { sizeBands: [1000, 100] },
        { sizeBands: [100, 100] },
        { keyFeatures: ['reports', 'reports'] },
      ]) {
        const response = await put(payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.code).toBe('invalid_request');
      }
      // No body, a JSON null, a text/plain body: never "reset everything to the defaults".
      const empty = await put(undefined);
      expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'invalid_request']);
      const nothing = await put('null', { 'content-type': 'application/json' });
      expect([nothing.statusCode, nothing.json().error.code]).toEqual([400, 'invalid_request']);
      const text = await put('{}', { 'content-type': 'text/plain' });
      expect([text.statusCode, text.json().error.code]).toEqual([415, 'unsupported_media_type']);
      const broken = await put('{"inactivityDays":', { 'content-type': 'application/json' });
      expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'malformed_json']);
      expect((await get('/v1/settings')).json()).toEqual(before);
      expect((await put({})).statusCode).toBe(200);
    });
  });

  describe('model', () => {
    it('reports the default model before any training', async () => {
      const response = await get('/v1/model');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ inUse: 'default', model: null });
      expect(response.json().factors[0]).toEqual({
        key: 'days_since_last_login',
        defaultPoints: 35,
        learnedPoints: null,
        multiplier: 1,
        pointsInUse: 35,
      });
    });

    it('answers 422 when there is not enough labelled history', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/model/train',
        headers: bearer(other.secretKey),
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('insufficient_history');
    });
  });

  it('documents every route in /openapi.json', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/accounts',
        '/v1/accounts/{accountId}/risk',
        '/v1/settings',
        '/v1/model',
        '/v1/model/train',
      ]),
    );
    expect(document.paths['/v1/settings'].put).toBeDefined();
  });
});
