import type { FastifyInstance } from 'fastify';
import { accountFeaturesRoute } from './routes/account-features.route.js';
import { accountProfileRoute } from './routes/account-profile.route.js';
import { engagementMetricsRoute } from './routes/engagement-metrics.route.js';
import { timelineRoutes } from './routes/timeline.route.js';
import { userProfileRoute } from './routes/user-profile.route.js';

/**
 * The engagement context: account and user profiles, activity timelines with usage cadence,
 * feature adoption, and project-wide DAU/WAU/MAU. Every answer can be asked `asOf` a past time.
 */
export async function engagementRoutes(app: FastifyInstance) {
  accountProfileRoute(app);
  timelineRoutes(app);
  accountFeaturesRoute(app);
  userProfileRoute(app);
  engagementMetricsRoute(app);
}
