import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { textParam } from '../../http/text-param.js';
import { createDashboardUser, MIN_PASSWORD_LENGTH } from '../create-dashboard-user.js';
import { findUserById, removeMembership, setMembership } from '../dashboard-users.sql.js';

const membershipParams = z.object({ userId: textParam(100), projectId: textParam(100) });

/** Operator API for workspace people: create users, grant and remove project roles. */
export function adminUsersRoutes(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/users',
    auth: 'admin',
    summary: 'Create a workspace user (201); 409 email_taken',
    tags: ['admin'],
    body: z.object({
      email: z.email().max(320),
      password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
    }),
    response: z.object({ id: z.string(), email: z.string() }),
    handler: async ({ body, reply }) => {
      const user = await createDashboardUser(db, body);
      if (!user) throw new AppError('email_taken');
      reply.status(201);
      return user;
    },
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/users/:userId/memberships/:projectId',
    auth: 'admin',
    summary: "Give a user a role in a project (replaces the user's earlier role there)",
    tags: ['admin'],
    params: membershipParams,
    body: z.object({ role: z.enum(['admin', 'viewer']) }),
    response: z.object({ userId: z.string(), projectId: z.string(), role: z.string() }),
    handler: async ({ params, body }) => {
      const [user, project] = await Promise.all([
        findUserById(db, params.userId),
        db
          .selectFrom('projects')
          .select('id')
          .where('id', '=', params.projectId)
          .executeTakeFirst(),
      ]);
      if (!user) throw new AppError('not_found', { message: `No user ${params.userId}` });
      if (!project) throw new AppError('not_found', { message: `No project ${params.projectId}` });
      await setMembership(db, { ...params, role: body.role });
      return { userId: params.userId, projectId: params.projectId, role: body.role };
    },
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/users/:userId/memberships/:projectId',
    auth: 'admin',
    summary: 'Remove a user from a project (204); their next call there is 403',
    tags: ['admin'],
    params: membershipParams,
    handler: async ({ params, reply }) => {
      if (!(await removeMembership(db, params))) {
        throw new AppError('not_found', {
          message: `User ${params.userId} is not a member of ${params.projectId}`,
        });
      }
      return reply.status(204).send();
    },
  });
}
