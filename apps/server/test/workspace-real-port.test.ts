import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';
import { createMember } from './workspace-session.js';

const PASSWORD = 'over the real socket';

/**
 * What a browser does, over a real socket: the Host and Origin headers as a browser sends them,
 * the Set-Cookie header as it arrives, and the cookie sent back.
 */
describe.each(engines)('workspace over a real port on %s', (engine) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await createMember(t, 'port@example.com', PASSWORD, 'admin');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  it('signs in, calls the API with the cookie, refuses a foreign origin, signs out', async () => {
    const signIn = await fetch(`${base}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'port@example.com', password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^tenure_session=[^;]+; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+$/,
    );
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const headers = {
      cookie,
      'x-tenure-project': t.projectId,
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    };

    const session = await fetch(`${base}/v1/auth/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');

    const settings = (origin: string, inactivityDays: number) =>
      fetch(`${base}/v1/settings`, {
        method: 'PUT',
        headers: { ...headers, origin },
        body: JSON.stringify({ inactivityDays }),
      });
    const foreign = await settings('http://localhost.evil.example', 40);
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    // Another port on the same host is another origin.
    const otherPort = await settings('http://127.0.0.1:1', 40);
    expect(otherPort.status).toBe(403);
    expect((await t.get('/v1/settings')).json().inactivityDays).toBe(21);

    const own = await settings(base, 40);
    expect(own.status).toBe(200);
    expect((await t.get('/v1/settings')).json().inactivityDays).toBe(40);

    const signOut = await fetch(`${base}/v1/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: base },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/^tenure_session=; .*Max-Age=0/);
    const after = await fetch(`${base}/v1/accounts`, { headers });
    expect(after.status).toBe(401);
  });
});
