import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { defineRoute } from '../http/define-route.js';
import { textParam } from '../http/text-param.js';
import { allowedOriginsSchema } from '../settings/allowed-origins.js';
import { createProject, rotateKey } from './projects.js';

/** Operator API, behind `Authorization: Bearer $TENURE_ADMIN_TOKEN`. */
export async function adminRoutes(app: FastifyInstance) {
  const { db, keys } = app.services;

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/projects',
    auth: 'admin',
    summary: 'Create a project; returns its keys once',
    tags: ['admin'],
    body: z.object({
      name: textParam(200),
      allowedOrigins: allowedOriginsSchema.optional(),
    }),
    response: z.object({ projectId: z.string(), writeKey: z.string(), secretKey: z.string() }),
    handler: async ({ body, reply }) => {
      reply.status(201);
      return createProject(db, body);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/projects/:projectId/keys',
    auth: 'admin',
    summary: 'Rotate a key: issue a new one and revoke the old ones of that kind',
    tags: ['admin'],
    params: z.object({ projectId: textParam(100) }),
    body: z.object({ kind: z.enum(['write', 'secret']) }),
    response: z.object({
      projectId: z.string(),
      kind: z.enum(['write', 'secret']),
      key: z.string(),
    }),
    handler: async ({ params, body }) => {
      const key = await rotateKey(db, params.projectId, body.kind);
      if (!key) throw new AppError('not_found', { message: `No project ${params.projectId}` });
      keys.invalidate();
      return { projectId: params.projectId, kind: body.kind, key };
    },
  });
}
