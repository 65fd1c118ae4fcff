import type { AccountFeatures, TodayActivity } from '../account-features.types.js';

/** What a factor needs besides the account's features. */
export interface FactorContext {
  /** Days without login after which an account counts as inactive (settings, default 21). */
  inactivityDays: number;
  /** Accounts younger than this are "new" (settings, default 90). */
  newCustomerDays: number;
  /** The project's key features: configured, or inferred from the most used ones. */
  keyFeatures: string[];
  /** MRR band upper bounds (settings.sizeBands). */
  sizeBands: number[];
  /**
   * Share (0–1) of retained accounts on `plan` that used `feature` in the last 28 days, null
   * when there are too few peers to say.
   */
  peerAdoption: (plan: string | null, feature: string) => number | null;
}

/** One factor's reading of an account, before weighting. */
export interface FactorReading {
  value: number | null;
  baseline: number | null;
  /**
   * How strongly the signal points to churn: 1 = the factor's full weight, 0 = nothing,
   * negative = a protective sign (at most −1). The learned model uses severities as features.
   */
  severity: number;
  message: string;
}

/**
 * A churn-risk factor of the default model. `weight` is the number of points (of 100) the
 * factor adds at full severity; each factor file says why it has its weight.
 */
export interface RiskFactorDefinition {
  key: string;
  weight: number;
  read: (features: AccountFeatures, context: FactorContext) => FactorReading;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Relative change from `before` to `now` (−0.64 = down 64%); null when `before` is too small. */
export function relativeChange(now: number, before: number, minimumBefore: number): number | null {
  return before >= minimumBefore ? (now - before) / before : null;
}

export const percent = (ratio: number) => `${Math.round(Math.abs(ratio) * 100)}%`;

export const plural = (count: number, noun: string, nouns = `${noun}s`) =>
  `${count} ${count === 1 ? noun : nouns}`;

/** "Reports", "Reports and Exports", "Reports, Exports and 2 more". */
export function featureList(features: string[]): string {
  const names = features.map(featureLabel);
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

/** `saved_reports` → "Saved reports": feature keys read as names in messages. */
export function featureLabel(feature: string): string {
  const words = feature.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A day without activity: what `today` reads as when a row or hand-made features have none. */
export const NO_ACTIVITY_TODAY: TodayActivity = {
  logins: 0,
  kbViews: 0,
  milestones: 0,
  keyFeaturesUsed: [],
};

/** The account's activity on the scored day, which whole-day windows leave out. */
export function activityToday(features: AccountFeatures): TodayActivity {
  return features.today ?? NO_ACTIVITY_TODAY;
}

/** How messages name a whole-day window: the score never counts the day it is computed on. */
export const beforeToday = (days: number) => `in the ${days} days before today`;
