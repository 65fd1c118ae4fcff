import { adoptionTrendFactor } from './adoption-trend.factor.js';
import { billingPlanFactor } from './billing-plan.factor.js';
import { emailEngagementFactor } from './email-engagement.factor.js';
import type { RiskFactorDefinition } from './factor.js';
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

/**
 * The default model's factors, in the order the API reports them. Weights are points at full
 * severity; they add up to more than 100 because no real account is at full severity on every
 * factor, and the score is clamped to 0–100.
 */
export const DEFAULT_FACTORS: readonly RiskFactorDefinition[] = [
  loginRecencyFactor,
  loginTrendFactor,
  seatUtilisationFactor,
  featureAdoptionFactor,
  adoptionTrendFactor,
  supportLoadFactor,
  ticketFollowUpFactor,
  passwordResetsFactor,
  knowledgeBaseFactor,
  emailEngagementFactor,
  milestonesFactor,
  tenureFactor,
  billingPlanFactor,
  revenueSizeFactor,
];

export const FACTOR_KEYS: readonly string[] = DEFAULT_FACTORS.map((factor) => factor.key);
