import type { FastifyInstance } from 'fastify';
import { adminUsersRoutes } from './routes/admin-users.route.js';
import { apiKeysRoutes } from './routes/api-keys.route.js';
import { sessionRoute } from './routes/session.route.js';
import { signInRoute } from './routes/sign-in.route.js';
import { signOutRoute } from './routes/sign-out.route.js';
import { SignInLimiter } from './sign-in-limiter.js';

/** The web workspace's server side: sign-in, sessions, people and API keys (docs/workspace.md). */
export async function workspaceRoutes(app: FastifyInstance) {
  const { config } = app.services;
  const limiter = new SignInLimiter({
    perEmail: config.TENURE_SIGN_IN_FAILURES_PER_EMAIL,
    perIp: config.TENURE_SIGN_IN_FAILURES_PER_IP,
  });
  signInRoute(app, limiter);
  sessionRoute(app);
  signOutRoute(app);
  apiKeysRoutes(app);
  adminUsersRoutes(app);
}
