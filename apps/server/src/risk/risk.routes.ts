import type { FastifyInstance } from 'fastify';
import { registerRiskJobs } from './risk-jobs.js';
import { accountFacetsRoute } from './routes/account-facets.route.js';
import { accountListRoute } from './routes/account-list.route.js';
import { accountRiskRoute } from './routes/account-risk.route.js';
import { modelRoutes } from './routes/model.route.js';
import { riskHistoryRoute } from './routes/risk-history.route.js';
import { settingsRoutes } from './routes/settings.route.js';

/**
 * The risk context: the account list with risk and its facets, one account's risk, settings,
 * the churn model, and the jobs that take risk snapshots and retrain the model.
 */
export async function riskRoutes(app: FastifyInstance) {
  accountListRoute(app);
  accountFacetsRoute(app);
  accountRiskRoute(app);
  riskHistoryRoute(app);
  settingsRoutes(app);
  modelRoutes(app);
  registerRiskJobs(app);
}
