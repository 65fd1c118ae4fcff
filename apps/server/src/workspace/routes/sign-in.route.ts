import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkOrigin } from '../../auth/authenticate-session.js';
import { setSessionCookie } from '../../auth/session-cookie.js';
import { createSession } from '../../auth/sessions.sql.js';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { findUserByEmail, normalizeEmail } from '../dashboard-users.sql.js';
import { decoyHash, verifyPassword } from '../password-hash.js';
import { sessionBody, sessionBodySchema } from '../session-body.js';
import type { SignInLimiter } from '../sign-in-limiter.js';

/** `POST /v1/auth/sign-in`: email and password for a session cookie. */
export function signInRoute(app: FastifyInstance, limiter: SignInLimiter): void {
  const { db, config } = app.services;
  const ttlSeconds = config.TENURE_SESSION_HOURS * 3600;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/auth/sign-in',
    auth: 'none',
    summary: 'Sign in to the workspace: sets the tenure_session cookie',
    tags: ['workspace'],
    body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
    response: sessionBodySchema,
    handler: async ({ body, request, reply }) => {
      // Another site must not sign a visitor in to an account of its choosing (login CSRF).
      checkOrigin(request, config.TENURE_PUBLIC_URL);
      const email = normalizeEmail(body.email);
      const decision = limiter.check(email, request.ip);
      if (!decision.ok) {
        throw new AppError('sign_in_rate_limited', {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
      const user = await findUserByEmail(db, email);
      // An unknown email runs the same scrypt as a wrong password: one answer, one timing.
      const matches = await verifyPassword(
        body.password,
        user?.password_hash ?? (await decoyHash()),
      );
      if (!user || !matches) {
        limiter.recordFailure(email, request.ip);
        throw new AppError('invalid_credentials');
      }
      const session = await createSession(db, user.id, ttlSeconds);
      setSessionCookie(request, reply, session.token, ttlSeconds);
      return sessionBody(db, { userId: user.id, email: user.email, csrfToken: session.csrfToken });
    },
  });
}
