import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { insertKey } from '../../auth/api-keys.js';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { textParam } from '../../http/text-param.js';
import { keyIdOfKey, listApiKeys, revokeApiKey } from '../api-keys.sql.js';

const kind = z.enum(['write', 'secret']);
const keySummary = z.object({
  id: z.string(),
  kind,
  maskedKey: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

/**
 * The project's API keys, for the workspace's settings page: list (masked), create (shown
 * once), revoke. Project admins (or the secret key) only: a key is the project's data.
 * Rotation is create-then-revoke, so clients can move to the new key before the old one stops.
 */
export function apiKeysRoutes(app: FastifyInstance): void {
  const { db, keys } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/keys',
    auth: 'secret',
    role: 'admin',
    summary: "The project's API keys, masked, newest first, revoked ones included",
    tags: ['keys'],
    response: z.object({ keys: z.array(keySummary) }),
    handler: async ({ projectId }) => ({ keys: await listApiKeys(db, projectId) }),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/v1/keys',
    auth: 'secret',
    role: 'admin',
    summary: 'Create a write or secret key; the key is shown once (201)',
    tags: ['keys'],
    body: z.object({ kind }),
    response: z.object({ id: z.string(), kind, key: z.string(), createdAt: z.string() }),
    handler: async ({ body, projectId, reply }) => {
      const key = await insertKey(db, projectId, body.kind);
      reply.status(201);
      return { id: keyIdOfKey(key), kind: body.kind, key, createdAt: new Date().toISOString() };
    },
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/keys/:keyId',
    auth: 'secret',
    role: 'admin',
    summary: 'Revoke a key (204); it stops working at once on this server',
    tags: ['keys'],
    params: z.object({ keyId: textParam(100) }),
    handler: async ({ params, projectId, reply }) => {
      const { found } = await revokeApiKey(db, projectId, params.keyId);
      if (!found) throw new AppError('not_found', { message: `No key ${params.keyId}` });
      // Cached lookups would accept the key for up to 30 s more.
      keys.invalidate();
      return reply.status(204).send();
    },
  });
}
