import { z } from 'zod';
import type { Db } from '../db/database.types.js';
import { membershipsOf } from './dashboard-users.sql.js';

/** What sign-in and `GET /v1/auth/session` answer: who, where they may go, the CSRF token. */
export const sessionBodySchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  memberships: z.array(
    z.object({
      projectId: z.string(),
      projectName: z.string(),
      role: z.enum(['admin', 'viewer']),
    }),
  ),
  csrfToken: z.string(),
});

export type SessionBody = z.infer<typeof sessionBodySchema>;

export async function sessionBody(
  db: Db,
  session: { userId: string; email: string; csrfToken: string },
): Promise<SessionBody> {
  return {
    user: { id: session.userId, email: session.email },
    memberships: await membershipsOf(db, session.userId),
    csrfToken: session.csrfToken,
  };
}
