import type { FastifyInstance } from 'fastify';
import { requireSession } from '../../auth/authenticate-session.js';
import { defineRoute } from '../../http/define-route.js';
import { sessionBody, sessionBodySchema } from '../session-body.js';

/** `GET /v1/auth/session`: who is signed in, their projects and the CSRF token. */
export function sessionRoute(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'GET',
    url: '/v1/auth/session',
    auth: 'none',
    summary: 'The signed-in user, their projects and roles, and the CSRF token; 401 not_signed_in',
    tags: ['workspace'],
    response: sessionBodySchema,
    handler: async ({ request, reply }) => {
      // Per person: a shared cache must not hand one person's CSRF token to another.
      void reply.header('cache-control', 'no-store');
      const session = await requireSession(request, app.services.db);
      return sessionBody(app.services.db, session);
    },
  });
}
