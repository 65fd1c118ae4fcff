import type { Migration } from 'kysely';
import * as core from './2026-11-22T00-00-core.js';
import * as risk from './2026-11-22T01-00-risk.js';
import * as analyst from './2026-11-22T03-00-analyst.js';
import * as alerts from './2026-11-22T04-00-alerts.js';
import * as queryIndexes from './2026-11-22T05-00-query-indexes.js';
import * as traitHistory from './2026-12-01T00-00-trait-history.js';
import * as byteOrderIds from './2026-12-01T01-00-byte-order-ids.js';
import * as demoGenerations from './2026-12-06T16-00-demo-generations.js';
import * as analyticsAccountsChurned from './2026-12-06T17-00-analytics-accounts-churned.js';
import * as accountScores from './2026-12-06T18-00-account-scores.js';
import * as modelAsOf from './2026-12-06T18-00-model-as-of.js';
import * as workspace from './2026-12-06T18-00-workspace.js';
import * as stripe from './2026-12-06T19-00-stripe.js';
import * as accountScoreTiers from './2026-12-06T20-00-account-score-tiers.js';
import * as alertFeed from './2026-12-06T20-00-alert-feed.js';
import * as projectAnchors from './2026-12-06T20-00-project-anchors.js';
import * as analyticsAccountsOnCitus from './2026-12-06T21-00-analytics-accounts-on-citus.js';
import * as projectAlertFeed from './2026-12-06T22-00-project-alert-feed.js';
import * as modelJobs from './2026-12-06T22-10-model-jobs.js';
import * as dropProjectAnchors from './2026-12-06T23-00-drop-project-anchors.js';
import * as accountScoresFeatures from './2026-12-07T00-00-account-scores-features.js';

/**
 * Every migration, by name. Names are timestamps so that their sort order is their run order;
 * add new ones below with a later timestamp.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22T00-00-core': core,
  '2026-11-22T01-00-risk': risk,
  '2026-11-22T03-00-analyst': analyst,
  '2026-11-22T04-00-alerts': alerts,
  '2026-11-22T05-00-query-indexes': queryIndexes,
  '2026-12-01T00-00-trait-history': traitHistory,
  '2026-12-01T01-00-byte-order-ids': byteOrderIds,
  '2026-12-06T16-00-demo-generations': demoGenerations,
  '2026-12-06T17-00-analytics-accounts-churned': analyticsAccountsChurned,
  '2026-12-06T18-00-account-scores': accountScores,
  '2026-12-06T18-00-model-as-of': modelAsOf,
  '2026-12-06T18-00-workspace': workspace,
  '2026-12-06T19-00-stripe': stripe,
  '2026-12-06T20-00-account-score-tiers': accountScoreTiers,
  '2026-12-06T20-00-alert-feed': alertFeed,
  '2026-12-06T20-00-project-anchors': projectAnchors,
  '2026-12-06T21-00-analytics-accounts-on-citus': analyticsAccountsOnCitus,
  '2026-12-06T22-00-project-alert-feed': projectAlertFeed,
  '2026-12-06T22-10-model-jobs': modelJobs,
  '2026-12-06T23-00-drop-project-anchors': dropProjectAnchors,
  '2026-12-07T00-00-account-scores-features': accountScoresFeatures,
};
