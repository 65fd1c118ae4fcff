import type { AccountFeatures } from './account-features.types.js';
import {
  activityToday,
  beforeToday,
  type FactorContext,
  featureLabel,
  percent,
  plural,
} from './factors/factor.js';
import type { Recommendation, RiskFactor } from './risk.types.js';

/** A factor must add at least this many points before it earns a play. */
const MIN_CONTRIBUTION = 3;
const MAX_RECOMMENDATIONS = 4;

type Play = (
  features: AccountFeatures,
  context: FactorContext,
  factor: RiskFactor,
) => Omit<Recommendation, 'factor'> | null;

/** The unused key feature most of the account's peers use, with their share (today counts as use). */
function bestUnusedFeature(features: AccountFeatures, context: FactorContext) {
  const usedToday = activityToday(features).keyFeaturesUsed;
  const candidates = context.keyFeatures
    .filter((feature) => !features.keyFeaturesUsed28.includes(feature))
    .filter((feature) => !usedToday.includes(feature))
    .map((feature) => ({ feature, share: context.peerAdoption(features.plan, feature) }));
  candidates.sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
  return candidates[0];
}

// Concrete plays a customer-success manager can run, one per factor: reach out with value
// (an unused feature, help with a ticket) rather than a generic survey.
const PLAYS: Record<string, Play> = {
  // Worded like the factor's message: below the threshold it is "last login n days ago", so
  // the play does not claim an inactivity the factor does not.
  days_since_last_login: (f, context) => {
    const days = f.daysSinceLastLogin ?? f.tenureDays;
    if (activityToday(f).logins > 0) {
      return {
        action: 'owner_check_in',
        message:
          f.daysSinceLastLogin === null
            ? 'First login today: owner check-in to help them start'
            : `Back today after ${days} days without a login: owner check-in while they are here`,
      };
    }
    const quiet =
      f.daysSinceLastLogin === null
        ? `No login since the account started ${days} days ago`
        : days >= context.inactivityDays
          ? `No login for ${days} days`
          : `Last login ${days} days ago`;
    return { action: 'owner_check_in', message: `${quiet}: owner check-in` };
  },
  login_trend: (_f, _c, factor) => ({
    action: 'usage_review',
    message: `Logins down ${percent((factor.value ?? 0) / 100)}: review goals and usage with the champion`,
  }),
  seat_utilisation: (f) => ({
    action: 'seat_activation',
    message: f.seats
      ? `${f.activeUsers28} of ${plural(f.seats, 'seat')} in use: offer onboarding for the unused seats`
      : `Nobody active ${beforeToday(28)}${activityToday(f).logins > 0 ? ' (back today)' : ''}: re-onboard the team`,
  }),
  feature_adoption: (f, context) => {
    const best = bestUnusedFeature(f, context);
    if (!best) return null;
    const name = featureLabel(best.feature);
    const verb = f.keyFeaturesEverUsed.includes(best.feature) ? 'Not using' : 'Never used';
    const peers =
      best.share === null
        ? ''
        : `, which ${percent(best.share)} of retained accounts${f.plan ? ' on this plan' : ''} use`;
    return {
      action: 'feature_walkthrough',
      message: `${verb} ${name}${peers}: offer a walkthrough`,
    };
  },
  feature_adoption_trend: (f) => {
    const dropped = f.keyFeaturesUsedPrev28.filter((x) => !f.keyFeaturesUsed28.includes(x));
    const what =
      dropped.length > 0 ? `Stopped using ${featureLabel(dropped[0]!)}` : 'Key-feature use falling';
    return { action: 'feature_check_in', message: `${what}: ask what changed and offer help` };
  },
  support_tickets: (f) => ({
    action: 'escalate_tickets',
    message:
      f.ticketsOpen > 0
        ? `${plural(f.ticketsOpen, 'unresolved ticket')}: escalate`
        : `${plural(f.ticketsUnsatisfied90, 'ticket')} resolved unsatisfied: review with support`,
  }),
  tickets_without_follow_up: (f) => ({
    action: 'support_follow_up',
    message: `${plural(f.ticketsWithoutFollowUp90, 'ticket')} without activity afterwards: confirm the fix worked`,
  }),
  password_resets: (f) => ({
    action: 'login_help',
    message: `${plural(f.passwordResets28, 'password reset')} ${beforeToday(28)}: offer SSO or login help`,
  }),
  // An account reading the knowledge base today is already helping itself: no play.
  kb_usage: (f) =>
    activityToday(f).kbViews > 0
      ? null
      : {
          action: 'share_help_content',
          message: `No knowledge-base use ${beforeToday(90)}: send the getting-started guides`,
        },
  email_engagement: () => ({
    action: 'personal_outreach',
    message: 'Email engagement falling: reach out personally instead of campaigns',
  }),
  milestones: (f) =>
    activityToday(f).milestones > 0
      ? null
      : {
          action: 'success_plan',
          message: 'No success milestone reached: agree a success plan with the customer',
        },
};

/**
 * Plays for the factors that drive the score, biggest contribution first, among those whose own
 * reading shows the problem (`concerns`: a positive severity). A learned model can give a factor
 * points for a reading that is not a problem in itself (more knowledge-base views than its
 * typical retained account, on a project where readers leave): its play would then claim what
 * is not so ("No knowledge-base use"), so it gets none.
 *
 * @example
 * recommendationsFor(factors, features, context, new Set(['days_since_last_login']))[0];
 * // { factor: 'days_since_last_login', action: 'owner_check_in', message: 'No login for 23 days: owner check-in' }
 */
export function recommendationsFor(
  factors: RiskFactor[],
  features: AccountFeatures,
  context: FactorContext,
  concerns: ReadonlySet<string>,
): Recommendation[] {
  const recommendations: Recommendation[] = [];
  const ranked = [...factors].sort((a, b) => b.contribution - a.contribution);
  for (const factor of ranked) {
    if (factor.contribution < MIN_CONTRIBUTION) break;
    if (!concerns.has(factor.key)) continue;
    const play = PLAYS[factor.key]?.(features, context, factor);
    if (play) recommendations.push({ factor: factor.key, ...play });
    if (recommendations.length >= MAX_RECOMMENDATIONS) break;
  }
  return recommendations;
}
