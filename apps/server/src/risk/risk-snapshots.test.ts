import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { seedProject } from '../seed/seed-project.js';
import { DAY_MS } from '../time/utc-day.js';
import { takeSnapshots } from './risk-snapshots.sql.js';

describe.each(engines)('risk snapshots on %s', (engine) => {
  let t: TestApp;
  const count = async () =>
    (
      await t.app.services.db
        .selectFrom('risk_snapshots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', t.projectId)
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedProject(t.app.services.writer, t.projectId, { accounts: 30, days: 120, seed: 9 });
  });
  afterAll(() => t.close());

  const twoWeeksAgo = new Date(Date.now() - 14 * DAY_MS);

  it('stores one snapshot per account, and nothing new while scores stay the same', async () => {
    const asOf = twoWeeksAgo;
    const first = await takeSnapshots(t.app.services.db, t.projectId, asOf);
    expect(first.length).toBeGreaterThan(10);
    expect(first.every((change) => change.previous === null)).toBe(true);
    expect(await count()).toBe(first.length);
    expect(await takeSnapshots(t.app.services.db, t.projectId, asOf)).toEqual([]);
    expect(await count()).toBe(first.length);
  });

  it('feeds the trend and reports tier transitions', async () => {
    const changes = await takeSnapshots(t.app.services.db, t.projectId);
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      if (change.previous) expect(change.previous.takenAt).toBe(twoWeeksAgo.toISOString());
      expect(
        change.current.score !== change.previous?.score ||
          change.current.tier !== change.previous?.tier,
      ).toBe(true);
    }
    const [row] = await t.app.services.db
      .selectFrom('risk_snapshots')
      .select(['account_id', 'score'])
      .where('project_id', '=', t.projectId)
      .where('taken_at', '<=', new Date(Date.now() - 13 * DAY_MS))
      .orderBy('account_id')
      .limit(1)
      .execute();
    const risk = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/accounts/${row!.account_id}/risk`,
        headers: { authorization: `Bearer ${t.secretKey}` },
      })
    ).json();
    expect(risk.trend.previousScore).toBe(row!.score);
    expect(risk.trend.change).toBe(risk.score - row!.score);
  });

  it('runs as a scheduled job', async () => {
    const before = await count();
    await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: {
        batch: [
          {
            type: 'track',
            event: 'support_ticket_opened',
            userId: 'someone',
            properties: { ticketId: 'job-ticket' },
            context: { groupId: 'job-test-account' },
          },
        ],
      },
    });
    await t.app.services.scheduler.runNow('risk-snapshots');
    expect(await count()).toBeGreaterThan(before);
  });
});
