import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';
import {
  createMember,
  type SignedIn,
  sessionCookieOf,
  signIn,
  signInRequest,
} from './workspace-session.js';

const PASSWORD = 'correct horse battery';

describe.each(engines)('workspace sign-in and sessions on %s', (engine) => {
  let t: TestApp;
  let adminUser: SignedIn;
  let viewerUser: SignedIn;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await createMember(t, 'ann@example.com', PASSWORD, 'admin');
    await createMember(t, 'vic@example.com', PASSWORD, 'viewer');
    adminUser = await signIn(t, 'Ann@Example.com', PASSWORD);
    viewerUser = await signIn(t, 'vic@example.com', PASSWORD);
  });
  afterAll(() => t.close());

  const withSession = (session: SignedIn, extra: Record<string, string> = {}) => ({
    cookie: session.cookie,
    'x-tenure-project': t.projectId,
    ...extra,
  });
  const putSettings = (headers: Record<string, string>, inactivityDays = 30) =>
    t.app.inject({ method: 'PUT', url: '/v1/settings', headers, payload: { inactivityDays } });
  const inactivityDays = async () => (await t.get('/v1/settings')).json().inactivityDays;

  it('signs in: the session body, an HttpOnly SameSite=Lax cookie, not Secure over http', async () => {
    const response = await signInRequest(t, 'ann@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: { id: expect.stringMatching(/^usr_/), email: 'ann@example.com' },
      memberships: [{ projectId: t.projectId, projectName: 'Test project', role: 'admin' }],
      csrfToken: expect.any(String),
    });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^tenure_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${168 * 3600}`);
    expect(cookie).not.toContain('Secure');
    // The token is stored only as a hash.
    const token = sessionCookieOf(response).split('=')[1]!;
    const stored = await t.app.services.db
      .selectFrom('dashboard_sessions')
      .select('token_hash')
      .execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(token);
  });

  it('sets Secure when the request came over https (behind a trusted proxy)', async () => {
    const proxied = await createTestApp(
      engine,
      // Parsed from the environment first, as `tenure serve` does, then again by buildApp.
      loadConfig({ TENURE_TRUST_PROXY: 'true' }),
    );
    try {
      await createMember(proxied, 'sec@example.com', PASSWORD, 'viewer');
      const response = await proxied.app.inject({
        method: 'POST',
        url: '/v1/auth/sign-in',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: 'sec@example.com', password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['set-cookie'])).toContain('; Secure');
    } finally {
      await proxied.close();
    }
  });

  it('answers a wrong email and a wrong password the same way', async () => {
    const wrongPassword = await signInRequest(t, 'ann@example.com', 'not the password', '10.0.0.2');
    const wrongEmail = await signInRequest(t, 'nobody@example.com', PASSWORD, '10.0.0.2');
    for (const response of [wrongPassword, wrongEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(wrongPassword.json()).toEqual(wrongEmail.json());
    expect(wrongPassword.json().error.code).toBe('invalid_credentials');
  });

  it('GET /v1/auth/session answers the same body as sign-in, or 401 not_signed_in', async () => {
    const session = await t.app.inject({
      method: 'GET',
      url: '/v1/auth/session',
      headers: { cookie: adminUser.cookie },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual(adminUser.body);
    for (const cookie of [undefined, 'tenure_session=forged-token']) {
      const refused = await t.app.inject({
        method: 'GET',
        url: '/v1/auth/session',
        headers: cookie ? { cookie } : {},
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('not_signed_in');
    }
  });

  it('an expired session is 401 not_signed_in, on the session and on query endpoints', async () => {
    const expiring = await signIn(t, 'ann@example.com', PASSWORD);
    await t.app.services.db
      .updateTable('dashboard_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('csrf_token', '=', expiring.csrfToken)
      .execute();
    for (const url of ['/v1/auth/session', '/v1/accounts']) {
      const response = await t.app.inject({
        method: 'GET',
        url,
        headers: withSession(expiring),
      });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.code, url).toBe('not_signed_in');
    }
  });

  it('the cookie authenticates query endpoints for the project in X-Tenure-Project', async () => {
    const byCookie = await t.app.inject({
      method: 'GET',
      url: '/v1/settings',
      headers: withSession(viewerUser),
    });
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.json()).toEqual((await t.get('/v1/settings')).json());
    const accounts = await t.app.inject({
      method: 'GET',
      url: '/v1/accounts',
      headers: withSession(viewerUser),
    });
    expect(accounts.statusCode).toBe(200);

    const noProject = await t.app.inject({
      method: 'GET',
      url: '/v1/accounts',
      headers: { cookie: viewerUser.cookie },
    });
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json().error.code).toBe('missing_project');

    const other = await t.otherProjectKey();
    expect(other).toMatch(/^ts_/);
    const otherProjectId = (
      await t.app.services.db
        .selectFrom('projects')
        .select('id')
        .where('name', '=', 'Other project')
        .executeTakeFirstOrThrow()
    ).id;
    const notMember = await t.app.inject({
      method: 'GET',
      url: '/v1/accounts',
      headers: { cookie: viewerUser.cookie, 'x-tenure-project': otherProjectId },
    });
    expect(notMember.statusCode).toBe(403);
    expect(notMember.json().error.code).toBe('forbidden');
  });

  it('secret-key calls are unchanged', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { inactivityDays: 25 },
    });
    expect(response.statusCode).toBe(200);
    expect(await inactivityDays()).toBe(25);
  });

  it('an admin with the CSRF token changes settings', async () => {
    const response = await putSettings(
      withSession(adminUser, { 'x-csrf-token': adminUser.csrfToken }),
      28,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(await inactivityDays()).toBe(28);
  });

  it('a viewer is refused a settings change: 403 forbidden_for_role, nothing changed', async () => {
    const before = await inactivityDays();
    const response = await putSettings(
      withSession(viewerUser, { 'x-csrf-token': viewerUser.csrfToken }),
      before + 7,
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: 'forbidden_for_role',
      message: expect.stringContaining('viewer'),
    });
    expect(await inactivityDays()).toBe(before);
  });

  it('refuses a cookie-authenticated change without CSRF proof, changing nothing', async () => {
    const before = await inactivityDays();
    const attempts: Record<string, string>[] = [
      withSession(adminUser),
      withSession(adminUser, { 'x-csrf-token': 'wrong-token' }),
      withSession(adminUser, { 'x-csrf-token': viewerUser.csrfToken }),
      withSession(adminUser, {
        'x-csrf-token': adminUser.csrfToken,
        origin: 'https://evil.example',
      }),
    ];
    for (const headers of attempts) {
      const response = await putSettings(headers, before + 1);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().error.code).toBe('csrf_failed');
    }
    expect(await inactivityDays()).toBe(before);
    // The same call from the server's own origin goes through.
    const sameOrigin = await putSettings(
      withSession(adminUser, {
        'x-csrf-token': adminUser.csrfToken,
        origin: 'http://localhost:80',
      }),
      before + 1,
    );
    expect(sameOrigin.statusCode, sameOrigin.body).toBe(200);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'ann@example.com', password: PASSWORD },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
  });

  it('signs out: 204, the cookie cleared, the session gone', async () => {
    const session = await signIn(t, 'ann@example.com', PASSWORD);
    const withoutToken = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/sign-out',
      headers: { cookie: session.cookie },
    });
    expect(withoutToken.statusCode).toBe(403);
    const out = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/sign-out',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^tenure_session=;.*Max-Age=0/);
    const after = await t.app.inject({
      method: 'GET',
      url: '/v1/auth/session',
      headers: { cookie: session.cookie },
    });
    expect(after.statusCode).toBe(401);
  });
});
