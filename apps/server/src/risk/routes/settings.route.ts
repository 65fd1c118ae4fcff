import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import {
  getProjectSettings,
  projectSettingsInputSchema,
  projectSettingsSchema,
  saveProjectSettings,
} from '../../settings/project-settings.js';
import { DEFAULT_FACTORS } from '../factors/default-factors.js';
import { forgetProjectNorms } from '../project-norms.js';

const FACTOR_KEYS = DEFAULT_FACTORS.map((factor) => factor.key);

// A multiplier on a factor that does not exist would be stored and never used.
const settingsBody = projectSettingsInputSchema.superRefine((settings, context) => {
  for (const key of Object.keys(settings.factorWeights)) {
    if (!FACTOR_KEYS.includes(key)) {
      context.addIssue({
        code: 'custom',
        path: ['factorWeights', key],
        message: `Unknown factor; expected one of ${FACTOR_KEYS.join(', ')}`,
      });
    }
  }
});

/** `GET/PUT /v1/settings`: key features, thresholds, tier cut-offs, factor weights. */
export function settingsRoutes(app: FastifyInstance): void {
  const { db, scores } = app.services;
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
    body: settingsBody,
    response: projectSettingsSchema,
    handler: async ({ body, projectId }) => {
      await saveProjectSettings(db, projectId, body);
      forgetProjectNorms(db, projectId);
      // The list keeps answering from the previous scores, marked stale, until the pass ends.
      scores.requestPass(projectId);
      return body;
    },
  });
}
