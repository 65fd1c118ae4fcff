import type { AccountFeatures } from './account-features.types.js';
import type { FactorContext } from './factors/factor.js';

/** A healthy, established account's features, for unit tests to override one signal at a time. */
export function healthyFeatures(overrides: Partial<AccountFeatures> = {}): AccountFeatures {
  return {
    accountId: 'acme',
    name: 'Acme',
    plan: 'team',
    mrr: 500,
    seats: 10,
    billingInterval: 'year',
    tenureDays: 400,
    daysSinceLastLogin: 1,
    lastSeenDay: '2026-11-20',
    logins28: 60,
    loginsPrev28: 58,
    loginDays28: 20,
    activeUsers28: 8,
    featureUses28: 200,
    featureUsesPrev28: 190,
    keyFeaturesUsed28: ['dashboards', 'reports', 'exports', 'alerts'],
    keyFeaturesUsedPrev28: ['dashboards', 'reports', 'exports', 'alerts'],
    keyFeaturesEverUsed: ['dashboards', 'reports', 'exports', 'alerts', 'api'],
    keyFeatureUses28: 150,
    keyFeatureUsesPrev28: 140,
    ticketsOpened90: 1,
    ticketsOpen: 0,
    ticketsUnsatisfied90: 0,
    ticketsWithoutFollowUp90: 0,
    passwordResets28: 0,
    kbViews90: 5,
    emailOpens28: 10,
    emailClicks28: 3,
    emailOpensPrev28: 9,
    emailClicksPrev28: 3,
    milestones90: 2,
    firstMilestoneDay: '2025-10-01',
    churnedAt: null,
    previousScore: null,
    ...overrides,
  };
}

export const KEY_FEATURES = ['dashboards', 'reports', 'exports', 'alerts', 'api', 'sso_admin'];

export function testContext(overrides: Partial<FactorContext> = {}): FactorContext {
  return {
    inactivityDays: 21,
    newCustomerDays: 90,
    keyFeatures: KEY_FEATURES,
    sizeBands: [100, 1000, 10000],
    peerAdoption: () => null,
    ...overrides,
  };
}
