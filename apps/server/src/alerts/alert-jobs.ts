import type { FastifyInstance } from 'fastify';
import { detectTransitions } from './detect-transitions.js';

/** How often risk is re-checked for transitions, at most. */
const DETECTION_MS = 60_000;
/**
 * A project is looked at again no sooner than this many times its last detection took (one
 * whose detection takes 20 s, every 200 s), so detection spends at most a tenth of the time.
 */
const SPACING = 10;

/**
 * Transition detection for every project, every minute or, for projects whose detection takes
 * longer than a few seconds, as often as that bound allows: each run records what changed in
 * the project's early-warnings feed and enqueues it for the project's webhooks. One project's
 * failure is logged and does not stop the rest.
 */
export function registerAlertJobs(app: FastifyInstance): void {
  const { db, scheduler, config } = app.services;
  const dueAt = new Map<string, number>();
  scheduler.add({
    name: 'alert-detection',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES > 0 ? DETECTION_MS : 0,
    run: async () => {
      const projects = await db.selectFrom('projects').select('id').orderBy('id').execute();
      for (const { id: projectId } of projects) {
        const started = Date.now();
        if (started < (dueAt.get(projectId) ?? 0)) continue;
        try {
          await detectTransitions(db, projectId);
        } catch (error) {
          app.log.error({ err: error, projectId }, 'alert detection failed');
        }
        dueAt.set(projectId, started + SPACING * (Date.now() - started));
      }
    },
  });
}
