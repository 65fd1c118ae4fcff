import type { AccountProfile } from './account-profile.js';

export type Stage = 'active' | 'weekly' | 'monthly' | 'gone';

export interface Engagement {
  /** Multiplier on every user's chance of showing up (1 = the account's normal). */
  level: number;
  stage: Stage;
  /** Decay progress 0–1 (0 before the decay starts). */
  progress: number;
}

// The research's decay: daily use thins to weekly, then monthly, then stops. Each stage cuts
// the chance that a user shows up on a given day.
const STAGE_LEVEL: Record<Stage, number> = { active: 1, weekly: 0.3, monthly: 0.07, gone: 0 };

/**
 * How engaged an account is on `day`, by its fate: decaying accounts move through the stages
 * over `decayDays`; noisy ones dip and recover; sudden churners slow down only in their last
 * ten days.
 *
 * @example
 * engagementOn(profile, profile.decayStart + profile.decayDays / 2).stage; // 'monthly'
 */
export function engagementOn(profile: AccountProfile, day: number): Engagement {
  if (profile.fate === 'decaying' && day >= profile.decayStart) {
    const progress = Math.min(1, (day - profile.decayStart) / profile.decayDays);
    const stage: Stage = progress < 1 / 3 ? 'weekly' : progress < 2 / 3 ? 'monthly' : 'gone';
    return { level: STAGE_LEVEL[stage], stage, progress };
  }
  if (profile.fate === 'sudden' && day >= profile.cancelDay - 10) {
    return { level: 0.6, stage: 'active', progress: 0 };
  }
  if (profile.dips.some(([from, to]) => day >= from && day < to)) {
    return { level: 0.15, stage: 'active', progress: 0 };
  }
  return { level: 1, stage: 'active', progress: 0 };
}

/** Weekdays carry B2B use; weekends see a little. `weekday` 0 = Sunday. */
export function weekdayFactor(weekday: number): number {
  return weekday === 0 || weekday === 6 ? 0.12 : weekday === 1 ? 1.05 : weekday === 5 ? 0.85 : 1;
}
