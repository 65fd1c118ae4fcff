import type { FastifyInstance } from 'fastify';
import { checkCsrf } from '../../auth/authenticate-session.js';
import { clearSessionCookie, sessionTokenOf } from '../../auth/session-cookie.js';
import { deleteSession, findActiveSession } from '../../auth/sessions.sql.js';
import { defineRoute } from '../../http/define-route.js';

/**
 * `POST /v1/auth/sign-out`: ends the session and clears the cookie. With a live session it
 * needs the CSRF token (another site must not sign people out); without one there is nothing
 * to protect and the cookie is cleared anyway.
 */
export function signOutRoute(app: FastifyInstance): void {
  const { db, config } = app.services;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/auth/sign-out',
    auth: 'none',
    summary: 'Sign out: ends the session and clears the cookie (204)',
    tags: ['workspace'],
    handler: async ({ request, reply }) => {
      const token = sessionTokenOf(request);
      const session = token ? await findActiveSession(db, token) : undefined;
      if (token && session) {
        checkCsrf(request, session, config.TENURE_PUBLIC_URL);
        await deleteSession(db, token);
      }
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  });
}
