import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  body: { user: { id: string; email: string }; memberships: unknown[]; csrfToken: string };
}

/** Creates a workspace user through the admin API, with `role` in the test project. */
export async function createMember(
  t: TestApp,
  email: string,
  password: string,
  role: 'admin' | 'viewer',
  projectId = t.projectId,
): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/users',
    headers: admin,
    payload: { email, password },
  });
  expect(created.statusCode, created.body).toBe(201);
  const userId = created.json().id as string;
  const granted = await t.app.inject({
    method: 'PUT',
    url: `/v1/admin/users/${userId}/memberships/${projectId}`,
    headers: admin,
    payload: { role },
  });
  expect(granted.statusCode, granted.body).toBe(200);
  return userId;
}

export function signInRequest(t: TestApp, email: string, password: string, ip = '127.0.0.1') {
  return t.app.inject({
    method: 'POST',
    url: '/v1/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });
}

/** The `name=value` part of the response's session cookie. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const header = [response.headers['set-cookie'] ?? []].flat()[0] ?? '';
  return header.split(';')[0]!;
}

export async function signIn(
  t: TestApp,
  email: string,
  password: string,
  ip?: string,
): Promise<SignedIn> {
  const response = await signInRequest(t, email, password, ip);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  return { cookie: sessionCookieOf(response), csrfToken: body.csrfToken, body };
}
