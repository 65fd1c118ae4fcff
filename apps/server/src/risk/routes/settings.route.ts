import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import {
  getProjectSettings,
  projectSettingsSchema,
  saveProjectSettings,
} from '../../settings/project-settings.js';
import { forgetProjectNorms } from '../project-norms.js';

/** `GET/PUT /v1/settings`: key features, thresholds, tier cut-offs, factor weights. */
export function settingsRoutes(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/settings',
    auth: 'secret',
    summary: "The project's risk settings, with defaults filled in",
    tags: ['settings'],
    response: projectSettingsSchema,
    handler: ({ projectId }) => getProjectSettings(db, projectId),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/v1/settings',
    auth: 'secret',
    summary: "Replace the project's risk settings (missing fields take their defaults)",
    tags: ['settings'],
    body: projectSettingsSchema,
    response: projectSettingsSchema,
    handler: async ({ body, projectId }) => {
      await saveProjectSettings(db, projectId, body);
      forgetProjectNorms(db, projectId);
      return body;
    },
  });
}
