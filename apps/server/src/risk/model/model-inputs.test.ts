import { describe, expect, it } from 'vitest';
import { type AccountState, type ActivityDay, INPUTS, modelInputs } from './model-inputs.js';

const asOfDay = 20_000;
const state: AccountState = {
  accountId: 'acme',
  startDay: asOfDay - 100,
  plan: 'team',
  mrr: 200,
  seats: 4,
  yearly: false,
  lastLoginDay: asOfDay - 3,
  lastSeenDay: asOfDay - 1,
  firstMilestoneDay: null,
};

function day(age: number, values: Partial<ActivityDay> = {}): ActivityDay {
  return {
    day: asOfDay - age,
    events: 1,
    logins: 0,
    featureUses: 0,
    featureMask: 0,
    activeUsers: 1,
    ticketsOpened: 0,
    passwordResets: 0,
    kbViews: 0,
    emailEngagement: 0,
    milestones: 0,
    ...values,
  };
}

const read = (inputs: number[], name: string) => inputs[INPUTS.findIndex((i) => i.name === name)]!;

describe('modelInputs', () => {
  const days = [
    day(60, { logins: 9 }), // older than every window
    day(40, { logins: 2, featureUses: 3, featureMask: 0b001 }),
    day(10, { logins: 1, featureMask: 0b010 }),
    day(3, { logins: 3, featureUses: 1, featureMask: 0b110 }),
    day(0, { logins: 50 }), // the asOf day itself: not complete yet
  ];
  const inputs = modelInputs(state, days, { logins: 15, activeDays: 4, featureUses: 4 }, asOfDay);

  it('counts each window over complete days before the asOf day, as log(1 + count)', () => {
    expect(inputs).toHaveLength(INPUTS.length);
    expect(read(inputs, 'logins_7')).toBeCloseTo(Math.log1p(3));
    expect(read(inputs, 'logins_14')).toBeCloseTo(Math.log1p(4));
    expect(read(inputs, 'logins_56')).toBeCloseTo(Math.log1p(6));
    expect(read(inputs, 'login_days_28')).toBeCloseTo(Math.log1p(2));
    expect(read(inputs, 'active_days_56')).toBeCloseTo(Math.log1p(3));
  });

  it('counts distinct features from the daily masks', () => {
    expect(read(inputs, 'distinct_features_7')).toBeCloseTo(Math.log1p(2));
    expect(read(inputs, 'distinct_features_56')).toBeCloseTo(Math.log1p(3));
  });

  it('reads recency, the 28-day trend, tenure and seat use', () => {
    expect(read(inputs, 'days_since_last_login')).toBeCloseTo(Math.log1p(3));
    expect(read(inputs, 'never_logged_in')).toBe(0);
    expect(read(inputs, 'login_trend')).toBeCloseTo(Math.log1p(4) - Math.log1p(2));
    expect(read(inputs, 'tenure_days')).toBeCloseTo(Math.log1p(100));
    expect(read(inputs, 'seat_use_28')).toBeCloseTo(2 / (28 * 4));
  });

  it('counts an account that never logged in as away for its whole tenure', () => {
    const never = modelInputs(
      { ...state, lastLoginDay: null },
      [],
      { logins: 0, activeDays: 0, featureUses: 0 },
      asOfDay,
    );
    expect(read(never, 'never_logged_in')).toBe(1);
    expect(read(never, 'days_since_last_login')).toBeCloseTo(Math.log1p(100));
  });
});
