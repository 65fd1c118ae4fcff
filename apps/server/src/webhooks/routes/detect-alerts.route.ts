import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { detectTransitions } from '../../alerts/detect-transitions.js';
import { defineRoute } from '../../http/define-route.js';

/**
 * `POST /v1/alerts/detect`: the alert-detection job for the key's project, now. The job runs
 * every minute or so anyway; this is for seeing an early warning fire at once (the demo, a new
 * receiver). Detection is the same locked, exactly-once step as the job's, so calling it never
 * notifies twice. Delivery stays with the delivery job (every 5 s), which serves every project.
 */
export function detectAlertsRoute(app: FastifyInstance) {
  const { db } = app.services;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/alerts/detect',
    auth: 'secret',
    summary: 'Run alert detection for this project now (delivery follows within seconds)',
    tags: ['webhooks'],
    response: z.object({
      alerts: z
        .number()
        .int()
        .describe('Transitions the detection added to the feed (`GET /v1/alerts`)'),
      enqueued: z.number().int().describe('Notifications the detection added to the outbox'),
    }),
    handler: async ({ projectId }) => detectTransitions(db, projectId),
  });
}
