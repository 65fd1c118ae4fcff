import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { allowedOriginsSchema, getAllowedOrigins, saveAllowedOrigins } from '../allowed-origins.js';

const body = z.strictObject({ allowedOrigins: allowedOriginsSchema });

/**
 * `GET/PUT /v1/settings/allowed-origins`: the browser origins that may send with the public
 * write key. A sub-resource of the settings rather than a field of `PUT /v1/settings`, so that
 * a client replacing its risk settings cannot reset its origins to `*` by leaving them out.
 */
export async function allowedOriginsRoutes(app: FastifyInstance) {
  const { db, keys } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/settings/allowed-origins',
    auth: 'secret',
    summary: 'Browser origins allowed to send with the public write key',
    tags: ['settings'],
    response: body,
    handler: async ({ projectId }) => ({ allowedOrigins: await getAllowedOrigins(db, projectId) }),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/v1/settings/allowed-origins',
    auth: 'secret',
    summary: 'Replace the allowed origins (["*"]: any origin; []: no browser at all)',
    tags: ['settings'],
    body,
    response: body,
    handler: async ({ body: { allowedOrigins }, projectId }) => {
      const origins = [...new Set(allowedOrigins)];
      await saveAllowedOrigins(db, projectId, origins);
      // Key lookups are cached with the origins; this process applies the change at once,
      // others within the cache's 30 s.
      keys.invalidate();
      return { allowedOrigins: origins };
    },
  });
}
