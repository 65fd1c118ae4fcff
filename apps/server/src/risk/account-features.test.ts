import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import type { Db } from '../db/database.types.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { accountFeatures } from './account-features.sql.js';

const P = 'prj_features';
const asOf = new Date('2026-03-01T12:00:00Z');
const keyFeatures = ['reports', 'exports', 'alerts', 'api'];

const counters = {
  events: 1,
  logins: 0,
  feature_uses: 0,
  tickets_opened: 0,
  tickets_resolved: 0,
  tickets_unsatisfied: 0,
  password_resets: 0,
  kb_views: 0,
  email_opens: 0,
  email_clicks: 0,
  content_views: 0,
  milestones: 0,
  page_views: 0,
};

/** Hand-made rollups around `asOf`, including rows from its own day and after it. */
async function fill(db: Db) {
  const account = (id: string, firstSeen: string, traits: Record<string, unknown>) => ({
    project_id: P,
    account_id: id,
    traits: JSON.stringify(traits),
    traits_at: new Date(firstSeen),
    first_seen: new Date(firstSeen),
    last_seen: new Date('2026-03-05T00:00:00Z'),
  });
  await db
    .insertInto('accounts')
    .values([
      account('a1', '2025-06-01T00:00:00Z', {
        name: 'A1',
        plan: 'starter',
        mrr: 50,
        seats: 10,
        createdAt: '2025-05-01T00:00:00Z',
      }),
      account('a2', '2026-03-10T00:00:00Z', { name: 'Later' }),
      account('a3', '2025-06-01T00:00:00Z', { name: 'Gone' }),
      account('a4', '2025-06-01T00:00:00Z', { churnedAt: '2026-04-01T00:00:00Z' }),
    ])
    .execute();
  const day = (id: string, date: string, values: Partial<typeof counters>) => ({
    project_id: P,
    account_id: id,
    day: date,
    ...counters,
    ...values,
  });
  await db
    .insertInto('account_daily')
    .values([
      day('a1', '2025-08-01', { milestones: 1 }),
      day('a1', '2026-01-20', { logins: 4, email_opens: 2 }),
      day('a1', '2026-02-10', { logins: 2, email_clicks: 1 }),
      day('a1', '2026-02-20', {
        logins: 3,
        feature_uses: 5,
        password_resets: 1,
        kb_views: 2,
        email_opens: 1,
        milestones: 1,
      }),
      // asOf's own day is incomplete at asOf, and the day after is the future: both ignored.
      day('a1', '2026-03-01', { logins: 10, password_resets: 4 }),
      day('a1', '2026-03-05', { logins: 7, kb_views: 9 }),
    ])
    .execute();
  const userDay = (user: string, date: string) => ({
    ...day('a1', date, { logins: 1 }),
    user_id: user,
  });
  await db
    .insertInto('user_daily')
    .values([
      userDay('u1', '2026-02-20'),
      userDay('u2', '2026-02-10'),
      userDay('u3', '2026-01-20'),
      userDay('u4', '2026-03-02'),
    ])
    .execute();
  const use = (feature: string, date: string, uses: number) => ({
    project_id: P,
    account_id: 'a1',
    feature,
    day: date,
    user_id: 'u1',
    uses,
  });
  await db
    .insertInto('feature_daily')
    .values([
      use('reports', '2026-02-20', 3),
      use('exports', '2026-01-20', 2),
      use('alerts', '2025-09-01', 1),
      use('api', '2026-03-02', 5),
      use('not_key', '2026-02-20', 50),
    ])
    .execute();
  const ticket = (
    id: string,
    opened: string,
    resolved: string | null,
    satisfied: boolean | null,
  ) => ({
    project_id: P,
    ticket_id: id,
    account_id: 'a1',
    user_id: 'u1',
    priority: 'normal',
    opened_at: new Date(opened),
    resolved_at: resolved === null ? null : new Date(resolved),
    satisfied,
  });
  await db
    .insertInto('support_tickets')
    .values([
      ticket('t1', '2026-02-25T10:00:00Z', null, null),
      ticket('t2', '2026-02-01T10:00:00Z', '2026-02-03T10:00:00Z', false),
      ticket('t3', '2026-02-18T10:00:00Z', '2026-03-03T10:00:00Z', true),
      ticket('t4', '2026-03-02T10:00:00Z', null, null),
    ])
    .execute();
  const subscription = (id: string, at: string, event: string, extra = {}) => ({
    project_id: P,
    account_id: id,
    timestamp: new Date(at),
    message_id: `${id}-${at}`,
    event,
    ...extra,
  });
  await db
    .insertInto('subscription_events')
    .values([
      subscription('a1', '2025-05-01T00:00:00Z', 'subscription_started', {
        plan: 'team',
        mrr: 300,
        seats: 10,
        billing_interval: 'year',
      }),
      subscription('a1', '2026-04-01T00:00:00Z', 'subscription_changed', {
        plan: 'business',
        mrr: 900,
        seats: 30,
        billing_interval: 'year',
      }),
      subscription('a3', '2026-02-15T00:00:00Z', 'subscription_cancelled', { reason: 'price' }),
    ])
    .execute();
}

describe.each(engines)('accountFeatures on %s', (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openTestDatabase(engine);
    const migration = await migrateToLatest(handle.db);
    if (migration.error) throw migration.error;
    await fill(handle.db);
  });
  afterAll(() => handle.close());

  it('reads point-in-time signals from rollups, ignoring the asOf day and later data', async () => {
    const [a1] = await accountFeatures(handle.db, P, { asOf, keyFeatures, accountIds: ['a1'] });
    expect(a1).toEqual({
      accountId: 'a1',
      name: 'A1',
      // The subscription in force at asOf, not the later change nor the current traits.
      plan: 'team',
      mrr: 300,
      seats: 10,
      billingInterval: 'year',
      tenureDays: 304,
      daysSinceLastLogin: 9,
      lastSeenDay: '2026-02-20',
      logins28: 5,
      loginsPrev28: 4,
      loginDays28: 2,
      activeUsers28: 2,
      featureUses28: 5,
      featureUsesPrev28: 0,
      keyFeaturesUsed28: ['reports'],
      keyFeaturesUsedPrev28: ['exports'],
      keyFeaturesEverUsed: ['reports', 'exports', 'alerts'],
      keyFeatureUses28: 3,
      keyFeatureUsesPrev28: 2,
      ticketsOpened90: 3,
      ticketsOpen: 2,
      ticketsUnsatisfied90: 1,
      ticketsWithoutFollowUp90: 1,
      passwordResets28: 1,
      kbViews90: 2,
      emailOpens28: 1,
      emailClicks28: 1,
      emailOpensPrev28: 2,
      emailClicksPrev28: 0,
      milestones90: 1,
      firstMilestoneDay: '2025-08-01',
      churnedAt: null,
      previousScore: null,
      // The asOf day itself: left out of every window above, kept for the messages.
      // A past asOf reads nothing of its own day: that day's rollup also counts later events.
      today: { logins: 0, kbViews: 0, milestones: 0, keyFeaturesUsed: [] },
    });
  });

  it('leaves out accounts that did not exist at asOf and marks cancellations', async () => {
    const all = await accountFeatures(handle.db, P, { asOf, keyFeatures });
    expect(all.map((account) => account.accountId)).toEqual(['a1', 'a3', 'a4']);
    const a3 = all.find((account) => account.accountId === 'a3');
    expect(a3?.churnedAt).toBe('2026-02-15T00:00:00.000Z');
    expect(a3?.daysSinceLastLogin).toBeNull();
    // a4's churnedAt trait lies after asOf: at asOf it was still a customer.
    expect(all.find((account) => account.accountId === 'a4')?.churnedAt).toBeNull();
    const later = await accountFeatures(handle.db, P, {
      asOf: new Date('2026-04-02T00:00:00Z'),
      keyFeatures,
      accountIds: ['a4'],
    });
    expect(later[0]?.churnedAt).toBe('2026-04-01T00:00:00.000Z');
  });

  it('sees the later data once asOf moves past it', async () => {
    const [a1] = await accountFeatures(handle.db, P, {
      asOf: new Date('2026-03-06T00:00:00Z'),
      keyFeatures,
      accountIds: ['a1'],
    });
    expect(a1?.daysSinceLastLogin).toBe(1);
    expect(a1?.logins28).toBe(5 + 10 + 7);
    expect(a1?.keyFeaturesEverUsed).toContain('api');
    expect(a1?.ticketsOpen).toBe(2);
  });

  it('answers for one project only', async () => {
    expect(await accountFeatures(handle.db, 'prj_other', { asOf, keyFeatures })).toEqual([]);
  });
});
