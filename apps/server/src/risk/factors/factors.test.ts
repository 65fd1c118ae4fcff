import { describe, expect, it } from 'vitest';
import { healthyFeatures, testContext } from '../risk.fixture.js';
import { adoptionTrendFactor } from './adoption-trend.factor.js';
import { billingPlanFactor } from './billing-plan.factor.js';
import { DEFAULT_FACTORS } from './default-factors.js';
import { emailEngagementFactor } from './email-engagement.factor.js';
import { featureAdoptionFactor } from './feature-adoption.factor.js';
import { knowledgeBaseFactor } from './knowledge-base.factor.js';
import { loginRecencyFactor } from './login-recency.factor.js';
import { loginTrendFactor } from './login-trend.factor.js';
import { milestonesFactor } from './milestones.factor.js';
import { passwordResetsFactor } from './password-resets.factor.js';
import { revenueSizeFactor } from './revenue-size.factor.js';
import { seatUtilisationFactor } from './seat-utilisation.factor.js';
import { supportLoadFactor } from './support-load.factor.js';
import { tenureFactor } from './tenure.factor.js';
import { ticketFollowUpFactor } from './ticket-follow-up.factor.js';

const context = testContext();
const read = (factor: (typeof DEFAULT_FACTORS)[number], overrides = {}, ctx = context) =>
  factor.read(healthyFeatures(overrides), ctx);

describe('default factors', () => {
  it('give a healthy account no positive severity on any factor', () => {
    for (const factor of DEFAULT_FACTORS) {
      expect(factor.read(healthyFeatures(), context).severity, factor.key).toBeLessThanOrEqual(0);
    }
  });

  it('keep every severity within [-1, 1] for extreme accounts', () => {
    const extreme = healthyFeatures({
      daysSinceLastLogin: 400,
      logins28: 0,
      activeUsers28: 0,
      keyFeaturesUsed28: [],
      keyFeatureUses28: 0,
      ticketsOpen: 30,
      ticketsUnsatisfied90: 30,
      ticketsWithoutFollowUp90: 30,
      passwordResets28: 50,
      kbViews90: 0,
      emailOpens28: 0,
      emailClicks28: 0,
      firstMilestoneDay: null,
      tenureDays: 0,
      billingInterval: 'month',
      mrr: 1,
    });
    for (const factor of DEFAULT_FACTORS) {
      const { severity } = factor.read(extreme, context);
      expect(severity, factor.key).toBeGreaterThanOrEqual(-1);
      expect(severity, factor.key).toBeLessThanOrEqual(1);
    }
  });
});

describe('days since last login', () => {
  it('reaches full weight at the inactivity threshold and says so', () => {
    const reading = read(loginRecencyFactor, { daysSinceLastLogin: 23 });
    expect(reading).toMatchObject({ value: 23, baseline: 21, severity: 1 });
    expect(reading.message).toBe('No login for 23 days (threshold 21)');
  });

  it('ramps up between 3 days and the threshold', () => {
    expect(read(loginRecencyFactor, { daysSinceLastLogin: 3 }).severity).toBe(0);
    expect(read(loginRecencyFactor, { daysSinceLastLogin: 12 }).severity).toBeCloseTo(0.5);
    expect(read(loginRecencyFactor, { daysSinceLastLogin: 12 }).message).toBe(
      'Last login 12 days ago (threshold 21)',
    );
  });

  it('follows settings.inactivityDays', () => {
    const strict = testContext({ inactivityDays: 10 });
    expect(read(loginRecencyFactor, { daysSinceLastLogin: 10 }, strict).severity).toBe(1);
  });

  it('counts an account that never logged in from its start', () => {
    const reading = read(loginRecencyFactor, { daysSinceLastLogin: null, tenureDays: 30 });
    expect(reading.value).toBe(30);
    expect(reading.message).toBe('No login since the account started 30 days ago (threshold 21)');
  });
});

describe('login trend', () => {
  it('reports a drop against the previous 4 weeks', () => {
    const reading = read(loginTrendFactor, { logins28: 18, loginsPrev28: 50 });
    expect(reading.value).toBe(-64);
    expect(reading.severity).toBeCloseTo(0.8);
    expect(reading.message).toBe('Logins down 64% vs the previous 4 weeks (18 vs 50)');
  });

  it('takes a little off for growth and nothing without enough history', () => {
    expect(read(loginTrendFactor, { logins28: 80, loginsPrev28: 40 }).severity).toBe(-0.2);
    const thin = read(loginTrendFactor, { logins28: 0, loginsPrev28: 2 });
    expect(thin).toMatchObject({ value: null, severity: 0 });
  });
});

describe('seat utilisation', () => {
  it('measures active users against seats', () => {
    const reading = read(seatUtilisationFactor, { activeUsers28: 3, seats: 20 });
    expect(reading.value).toBe(0.15);
    expect(reading.severity).toBeCloseTo(0.7);
    expect(reading.message).toBe('3 of 20 seats active in the 28 days before today (15%)');
  });

  it('without seats, only nobody active counts', () => {
    expect(read(seatUtilisationFactor, { seats: null, activeUsers28: 0 }).severity).toBe(1);
    expect(read(seatUtilisationFactor, { seats: null, activeUsers28: 2 }).severity).toBe(0);
  });
});

describe('feature adoption', () => {
  it('counts key features used in 28 days and names the ones never used', () => {
    const reading = read(featureAdoptionFactor, {
      keyFeaturesUsed28: ['dashboards'],
      keyFeaturesEverUsed: ['dashboards', 'exports', 'alerts', 'api', 'sso_admin'],
    });
    expect(reading).toMatchObject({ value: 1, baseline: 3 });
    expect(reading.severity).toBeCloseTo(2 / 3);
    expect(reading.message).toBe(
      'Uses 1 of 6 key features in the 28 days before today; never used Reports',
    );
  });

  it('says nothing when no key features are known', () => {
    const reading = read(featureAdoptionFactor, {}, testContext({ keyFeatures: [] }));
    expect(reading.severity).toBe(0);
  });
});

describe('feature adoption trend', () => {
  it('reports falling key-feature use and the features dropped', () => {
    const reading = read(adoptionTrendFactor, {
      keyFeatureUses28: 20,
      keyFeatureUsesPrev28: 100,
      keyFeaturesUsed28: ['dashboards'],
      keyFeaturesUsedPrev28: ['dashboards', 'reports'],
    });
    expect(reading.severity).toBe(1);
    expect(reading.message).toBe(
      'Key-feature use down 80% vs the previous 4 weeks (20 vs 100); stopped using Reports',
    );
  });
});

describe('support', () => {
  it('weighs open and unsatisfied tickets', () => {
    const reading = read(supportLoadFactor, {
      ticketsOpen: 3,
      ticketsUnsatisfied90: 0,
      ticketsOpened90: 3,
    });
    expect(reading.severity).toBeCloseTo(0.8);
    expect(reading.message).toBe('3 unresolved tickets, 3 opened in 90 days');
    expect(read(supportLoadFactor, { ticketsOpen: 2, ticketsUnsatisfied90: 2 }).severity).toBe(1);
  });

  it('counts tickets not followed by activity', () => {
    const one = read(ticketFollowUpFactor, { ticketsWithoutFollowUp90: 1 });
    expect(one.severity).toBe(0.5);
    expect(one.message).toBe(
      '1 ticket in 90 days not followed by any login or feature use within 7 days',
    );
    expect(read(ticketFollowUpFactor, { ticketsWithoutFollowUp90: 3 }).severity).toBe(1);
  });

  it('does not praise follow-up of tickets that were never opened', () => {
    expect(read(ticketFollowUpFactor, { ticketsOpened90: 0 }).message).toBe(
      'No tickets in 90 days',
    );
    expect(read(ticketFollowUpFactor, { ticketsOpened90: 2 }).message).toBe(
      'Every recent ticket was followed by activity within 7 days',
    );
  });
});

describe('friction and engagement signals', () => {
  it('password resets: one is ordinary, three are full weight', () => {
    expect(read(passwordResetsFactor, { passwordResets28: 1 }).severity).toBeCloseTo(0.2);
    expect(read(passwordResetsFactor, { passwordResets28: 3 })).toMatchObject({
      severity: 1,
      message: '3 password resets in the 28 days before today',
    });
  });

  it('knowledge base: none is a warning, regular reading protects', () => {
    expect(read(knowledgeBaseFactor, { kbViews90: 0 }).severity).toBe(1);
    expect(read(knowledgeBaseFactor, { kbViews90: 1 }).severity).toBe(0);
    expect(read(knowledgeBaseFactor, { kbViews90: 7 }).severity).toBe(-0.5);
    expect(read(knowledgeBaseFactor, { kbViews90: 1 }).message).toBe(
      '1 knowledge-base article view in the 90 days before today',
    );
    expect(read(knowledgeBaseFactor, { kbViews90: 7 }).message).toBe(
      '7 knowledge-base article views in the 90 days before today',
    );
  });

  it('email engagement: falling opens and clicks', () => {
    const reading = read(emailEngagementFactor, {
      emailOpens28: 2,
      emailClicks28: 0,
      emailOpensPrev28: 6,
      emailClicksPrev28: 2,
    });
    expect(reading.value).toBe(-75);
    expect(reading.severity).toBeCloseTo(0.9375);
    expect(reading.message).toBe(
      'Email opens and clicks down 75% vs the previous 4 weeks (2 vs 8)',
    );
  });

  it('milestones: none after onboarding is a warning, recent ones protect', () => {
    expect(read(milestonesFactor, { firstMilestoneDay: null, tenureDays: 45 }).severity).toBe(1);
    expect(read(milestonesFactor, { firstMilestoneDay: null, tenureDays: 10 }).severity).toBe(0);
    expect(read(milestonesFactor, { milestones90: 2 }).severity).toBe(-0.5);
  });
});

describe('account shape', () => {
  it('tenure: new customers fade in over newCustomerDays', () => {
    expect(read(tenureFactor, { tenureDays: 0 }).severity).toBe(1);
    expect(read(tenureFactor, { tenureDays: 45 })).toMatchObject({
      severity: 0.5,
      message: 'New customer: 45 days (new until 90)',
    });
    expect(read(tenureFactor, { tenureDays: 120 }).severity).toBe(0);
  });

  it('plan: monthly billing adds risk, yearly contracts lower it', () => {
    expect(read(billingPlanFactor, { billingInterval: 'month' })).toMatchObject({
      severity: 1,
      message: 'team, billed monthly: can cancel at any renewal',
    });
    expect(read(billingPlanFactor, { billingInterval: 'year' }).severity).toBe(-0.5);
  });

  it('mrr: the smallest band adds risk, the largest lowers it', () => {
    expect(read(revenueSizeFactor, { mrr: 49 }).severity).toBe(1);
    expect(read(revenueSizeFactor, { mrr: 500 }).severity).toBe(0);
    expect(read(revenueSizeFactor, { mrr: 20000 }).severity).toBe(-0.5);
    expect(read(revenueSizeFactor, { mrr: 500 }, testContext({ sizeBands: [1000] })).severity).toBe(
      1,
    );
  });
});
