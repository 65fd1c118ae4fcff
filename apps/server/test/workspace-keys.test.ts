import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';
import { admin, createMember, type SignedIn, signIn, signInRequest } from './workspace-session.js';

const PASSWORD = 'a long enough password';

describe.each(engines)('API keys, admin users and sign-in limits on %s', (engine) => {
  let t: TestApp;
  let owner: SignedIn;
  let viewer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp(engine, {
      TENURE_SIGN_IN_FAILURES_PER_EMAIL: 3,
      TENURE_SIGN_IN_FAILURES_PER_IP: 5,
    });
    await createMember(t, 'owner@example.com', PASSWORD, 'admin');
    await createMember(t, 'viewer@example.com', PASSWORD, 'viewer');
    owner = await signIn(t, 'owner@example.com', PASSWORD);
    viewer = await signIn(t, 'viewer@example.com', PASSWORD);
  });
  afterAll(() => t.close());

  const session = (who: SignedIn, write = false) => ({
    cookie: who.cookie,
    'x-tenure-project': t.projectId,
    ...(write ? { 'x-csrf-token': who.csrfToken } : {}),
  });

  it('an admin creates a key (shown once), lists it masked, revokes it and it stops working', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: session(owner, true),
      payload: { kind: 'secret' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, key, kind } = created.json();
    expect(kind).toBe('secret');
    expect(key).toMatch(/^ts_/);
    expect((await t.get('/v1/settings', key)).statusCode).toBe(200);

    const listed = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: session(owner) });
    expect(listed.statusCode).toBe(200);
    const entry = listed.json().keys.find((k: { id: string }) => k.id === id);
    expect(entry).toMatchObject({ kind: 'secret', revokedAt: null });
    expect(entry.maskedKey).toBe(`${key.slice(0, 10)}…`);
    expect(listed.body).not.toContain(key);
    // The project's original two keys are listed too.
    expect(listed.json().keys).toHaveLength(3);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${id}`,
      headers: session(owner, true),
    });
    expect(revoked.statusCode).toBe(204);
    const refused = await t.get('/v1/settings', key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('invalid_secret_key');
    const after = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: session(owner) });
    expect(after.json().keys.find((k: { id: string }) => k.id === id).revokedAt).not.toBeNull();
    // The other keys still work.
    expect((await t.get('/v1/settings')).statusCode).toBe(200);
  });

  it('the secret key manages keys too; an unknown or foreign key id is 404', async () => {
    const bearer = { authorization: `Bearer ${t.secretKey}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer,
      payload: { kind: 'write' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().key).toMatch(/^tw_/);
    const otherKey = await t.otherProjectKey();
    const fromOther = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${created.json().id}`,
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(fromOther.statusCode).toBe(404);
    for (const id of ['key_0000000000000000', 'key_%25', 'nonsense']) {
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/v1/keys/${id}`,
        headers: bearer,
      });
      expect(response.statusCode, id).toBe(404);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer,
      payload: { kind: 'admin' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a viewer may neither list nor create keys', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/v1/keys', headers: session(owner) })
    ).json().keys.length;
    const list = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: session(viewer) });
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe('forbidden_for_role');
    const create = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: session(viewer, true),
      payload: { kind: 'secret' },
    });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.code).toBe('forbidden_for_role');
    const after = (
      await t.app.inject({ method: 'GET', url: '/v1/keys', headers: session(owner) })
    ).json().keys.length;
    expect(after).toBe(before);
  });

  it('admin users API: duplicate email 409, bad input 400, unknown project 404, removal 403s', async () => {
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers: admin,
      payload: { email: 'OWNER@example.com', password: PASSWORD },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('email_taken');
    for (const payload of [
      { email: 'not-an-email', password: PASSWORD },
      { email: 'short@example.com', password: 'short' },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/users',
        headers: admin,
        payload,
      });
      expect(response.statusCode).toBe(400);
    }
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      payload: { email: 'x@example.com', password: PASSWORD },
    });
    expect(noToken.statusCode).toBe(401);

    const userId = await createMember(t, 'leaver@example.com', PASSWORD, 'viewer');
    const unknownProject = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/users/${userId}/memberships/prj_nope`,
      headers: admin,
      payload: { role: 'admin' },
    });
    expect(unknownProject.statusCode).toBe(404);
    const leaver = await signIn(t, 'leaver@example.com', PASSWORD);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/users/${userId}/memberships/${t.projectId}`,
      headers: admin,
    });
    expect(removed.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/v1/accounts',
      headers: session(leaver),
    });
    expect(after.statusCode).toBe(403);
    expect(after.json().error.code).toBe('forbidden');
  });

  it('limits failed sign-ins per email: 429 with Retry-After, even for the right password', async () => {
    await createMember(t, 'target@example.com', PASSWORD, 'viewer');
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await signInRequest(
        t,
        'target@example.com',
        `guess ${attempt}`,
        `10.1.0.${attempt}`,
      );
      expect(response.statusCode).toBe(401);
    }
    const limited = await signInRequest(t, 'Target@example.com', PASSWORD, '10.1.0.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('sign_in_rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Other people are not locked out by it.
    expect((await signInRequest(t, 'owner@example.com', PASSWORD, '10.1.0.9')).statusCode).toBe(
      200,
    );
  });

  it('limits failed sign-ins per IP across many emails', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await signInRequest(t, `guess${attempt}@example.com`, PASSWORD, '10.2.0.1');
      expect(response.statusCode).toBe(401);
    }
    const limited = await signInRequest(t, 'owner@example.com', PASSWORD, '10.2.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await signInRequest(t, 'owner@example.com', PASSWORD, '10.2.0.2')).statusCode).toBe(
      200,
    );
  });

  it('successful sign-ins never count against the limit', async () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      expect((await signInRequest(t, 'viewer@example.com', PASSWORD, '10.3.0.1')).statusCode).toBe(
        200,
      );
    }
  });
});
