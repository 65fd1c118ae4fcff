import type { FastifyInstance } from 'fastify';
import { projectsWithWebhooks } from './alerts.sql.js';
import { detectTransitions } from './detect-transitions.js';

/** How often risk is re-checked for transitions. */
const DETECTION_MS = 60_000;

/**
 * Transition detection into the webhook outbox, every minute, for each project with a live
 * webhook; one project's failure is logged and does not stop the rest.
 */
export function registerAlertJobs(app: FastifyInstance): void {
  const { db, scheduler, config } = app.services;
  scheduler.add({
    name: 'alert-detection',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES > 0 ? DETECTION_MS : 0,
    run: async () => {
      for (const projectId of await projectsWithWebhooks(db)) {
        try {
          await detectTransitions(db, projectId);
        } catch (error) {
          app.log.error({ err: error, projectId }, 'alert detection failed');
        }
      }
    },
  });
}
