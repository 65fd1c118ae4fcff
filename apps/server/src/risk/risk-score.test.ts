import { describe, expect, it } from 'vitest';
import { defaultWeights, withMultipliers } from './model/model-weights.js';
import { healthyFeatures, testContext } from './risk.fixture.js';
import { scoreAccount } from './risk-score.js';
import { tierOf, tierOfRisk } from './risk-tier.js';

const asOf = new Date('2026-11-22T12:00:00Z');
const tierCutoffs = { watch: 30, at_risk: 55, critical: 75 };
const probabilityCutoffs = { watch: 0.1, at_risk: 0.25, critical: 0.5 };
const tiers = { tierBy: 'score' as const, tierCutoffs, probabilityCutoffs };
const options = { asOf, context: testContext(), weights: defaultWeights(), tiers };

const decaying = healthyFeatures({
  daysSinceLastLogin: 23,
  logins28: 18,
  loginsPrev28: 50,
  activeUsers28: 2,
  keyFeaturesUsed28: ['dashboards'],
  keyFeaturesEverUsed: ['dashboards', 'exports', 'alerts', 'api', 'sso_admin'],
  ticketsOpen: 3,
  ticketsOpened90: 3,
});

describe('scoreAccount', () => {
  it('scores a healthy account low and explains every factor', () => {
    const risk = scoreAccount(healthyFeatures(), options);
    expect(risk.score).toBe(0);
    expect(risk.tier).toBe('healthy');
    expect(risk.factors).toHaveLength(14);
    expect(risk.recommendations).toEqual([]);
    expect(risk.model).toBe('default');
    expect(risk.asOf).toBe(asOf.toISOString());
  });

  it('adds the contributions up to the score, biggest first', () => {
    const risk = scoreAccount(decaying, options);
    const sum = risk.factors.reduce((total, factor) => total + factor.contribution, 0);
    expect(risk.score).toBe(Math.round(sum));
    expect(risk.factors[0]).toEqual({
      key: 'days_since_last_login',
      value: 23,
      baseline: 21,
      contribution: 35,
      message: 'No login for 23 days (threshold 21)',
    });
    const contributions = risk.factors.map((factor) => factor.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    // 35 recency + 12 login trend + 6 seats + 8 adoption + 8 tickets − 2 KB − 3 milestones − 2 plan
    expect(risk.score).toBe(62);
    expect(risk.tier).toBe('at_risk');
  });

  it('clamps the score to 0–100', () => {
    const worst = healthyFeatures({
      ...decaying,
      ticketsUnsatisfied90: 4,
      ticketsWithoutFollowUp90: 4,
      passwordResets28: 5,
      kbViews90: 0,
      billingInterval: 'month',
      mrr: 10,
      keyFeatureUses28: 0,
      firstMilestoneDay: null,
    });
    expect(scoreAccount(worst, options).score).toBe(100);
  });

  it('applies settings.factorWeights as multipliers', () => {
    const base = scoreAccount(decaying, options);
    const weights = withMultipliers(defaultWeights(), { days_since_last_login: 0 });
    const muted = scoreAccount(decaying, { ...options, weights });
    const recency = muted.factors.find((factor) => factor.key === 'days_since_last_login');
    expect(recency?.contribution).toBe(0);
    expect(muted.score).toBe(base.score - 35);
  });

  it('reports the tier from the configured cut-offs', () => {
    const strict = scoreAccount(decaying, {
      ...options,
      tiers: { ...tiers, tierCutoffs: { watch: 95, at_risk: 98, critical: 100 } },
    });
    expect(strict.tier).toBe(strict.score >= 95 ? 'watch' : 'healthy');
  });

  it('ties recommendations to the factors that drive the score', () => {
    const peers = testContext({
      peerAdoption: (plan, feature) => (plan === 'team' && feature === 'reports' ? 0.8 : 0.1),
    });
    const risk = scoreAccount(decaying, { ...options, context: peers });
    expect(risk.recommendations[0]).toEqual({
      factor: 'days_since_last_login',
      action: 'owner_check_in',
      message: 'No login for 23 days: owner check-in',
    });
    const messages = risk.recommendations.map((r) => r.message);
    expect(messages).toContain('3 unresolved tickets: escalate');
    const all = scoreAccount(decaying, {
      ...options,
      context: peers,
      weights: withMultipliers(defaultWeights(), { days_since_last_login: 0, login_trend: 0 }),
    });
    expect(all.recommendations.map((r) => r.message)).toContain(
      'Never used Reports, which 80% of retained accounts on this plan use: offer a walkthrough',
    );
  });

  it('offers no play for a factor whose reading is not a problem, whatever its points', () => {
    // A learned weight can make reading the knowledge base a risk on some project: 5 views in
    // 90 days then add points, yet "No knowledge-base use" would be false.
    const base = defaultWeights();
    const learned = { kind: 'learned' as const, points: { ...base.points, kb_usage: -20 } };
    const risk = scoreAccount(healthyFeatures({ kbViews90: 5 }), { ...options, weights: learned });
    const kb = risk.factors.find((factor) => factor.key === 'kb_usage');
    expect(kb?.contribution).toBe(10);
    expect(kb?.message).toBe('5 knowledge-base article views in the 90 days before today');
    expect(risk.recommendations.map((r) => r.factor)).not.toContain('kb_usage');
    // With none read, the same points earn the play.
    const none = scoreAccount(healthyFeatures({ kbViews90: 0 }), options);
    expect(none.recommendations.map((r) => r.factor)).toContain('kb_usage');
  });

  it('words the check-in play like the login factor, below the threshold too', () => {
    const quiet = healthyFeatures({ ...decaying, daysSinceLastLogin: 15 });
    const risk = scoreAccount(quiet, options);
    const recency = risk.factors.find((factor) => factor.key === 'days_since_last_login');
    expect(recency?.message).toBe('Last login 15 days ago (threshold 21)');
    expect(risk.recommendations).toContainEqual({
      factor: 'days_since_last_login',
      action: 'owner_check_in',
      message: 'Last login 15 days ago: owner check-in',
    });
  });

  it('reports the trend against the snapshot a week earlier', () => {
    const risk = scoreAccount({ ...decaying, previousScore: 40 }, options);
    expect(risk.trend).toEqual({
      previousScore: 40,
      change: risk.score - 40,
      direction: 'rising',
    });
    expect(scoreAccount(healthyFeatures(), options).trend.direction).toBeNull();
    expect(scoreAccount(healthyFeatures({ previousScore: 2 }), options).trend.direction).toBe(
      'stable',
    );
  });
});

describe('tierOf', () => {
  it('puts a score at a cut-off into that tier', () => {
    expect(tierOf(29.9, tierCutoffs)).toBe('healthy');
    expect(tierOf(30, tierCutoffs)).toBe('watch');
    expect(tierOf(55, tierCutoffs)).toBe('at_risk');
    expect(tierOf(75, tierCutoffs)).toBe('critical');
  });
});

describe('tierOfRisk', () => {
  const byProbability = { ...tiers, tierBy: 'probability' as const };

  it('tiers by the calibrated probability when the settings say so', () => {
    expect(tierOfRisk(10, 0.3, byProbability)).toBe('at_risk');
    expect(tierOfRisk(90, 0.05, byProbability)).toBe('healthy');
    expect(tierOfRisk(10, 0.5, byProbability)).toBe('critical');
  });

  it('tiers by the score otherwise, and when the model gives no probability', () => {
    expect(tierOfRisk(10, 0.9, tiers)).toBe('healthy');
    expect(tierOfRisk(60, null, byProbability)).toBe('at_risk');
  });
});
