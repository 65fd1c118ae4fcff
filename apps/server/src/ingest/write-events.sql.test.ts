import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

const DAY = '2026-05-04';
let sequence = 0;

function login(time: string, extra: object = {}) {
  sequence += 1;
  return {
    type: 'track',
    messageId: `seen-${sequence}`,
    userId: 'sam',
    event: 'login',
    context: { groupId: 'globex' },
    timestamp: `${DAY}T${time}Z`,
    ...extra,
  };
}

interface SeenRow {
  first_seen: Date;
  last_seen: Date;
}

describe.each(engines)('first and last seen on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  async function seen() {
    const { db } = t.app.services;
    const read = async (table: 'users' | 'accounts' | 'account_users') => {
      const { rows } = await sql<SeenRow>`
        select first_seen, last_seen from ${sql.table(table)}`.execute(db);
      expect(rows).toHaveLength(1);
      const [row] = rows;
      return { first: row!.first_seen.toISOString(), last: row!.last_seen.toISOString() };
    };
    return {
      user: await read('users'),
      account: await read('accounts'),
      membership: await read('account_users'),
    };
  }
  const everywhere = (first: string, last: string) => {
    const window = { first: `${DAY}T${first}.000Z`, last: `${DAY}T${last}.000Z` };
    return { user: window, account: window, membership: window };
  };

  it('keeps last seen to the hour, and moves first seen back for a late older event', async () => {
    await t.ingest([login('10:00:00')]);
    expect(await seen()).toEqual(everywhere('10:00:00', '10:00:00'));

    // Within the hour: the rows are not rewritten (exact times are in the events).
    await t.ingest([login('10:30:00')]);
    expect(await seen()).toEqual(everywhere('10:00:00', '10:00:00'));

    await t.ingest([login('11:05:00')]);
    expect(await seen()).toEqual(everywhere('10:00:00', '11:05:00'));

    // An older event that arrives late widens the window backwards, however small the gap.
    await t.ingest([login('09:59:00')]);
    expect(await seen()).toEqual(everywhere('09:59:00', '11:05:00'));
  });

  it('writes traits within the hour', async () => {
    sequence += 1;
    await t.ingest([
      {
        type: 'identify',
        messageId: `seen-${sequence}`,
        userId: 'sam',
        traits: { email: 'sam@globex.test' },
        timestamp: `${DAY}T11:06:00Z`,
      },
      {
        type: 'group',
        messageId: `seen-${sequence}-group`,
        userId: 'sam',
        groupId: 'globex',
        traits: { plan: 'pro' },
        timestamp: `${DAY}T11:06:00Z`,
      },
    ]);
    const { db } = t.app.services;
    const user = await sql<{ traits: object }>`select traits from users`.execute(db);
    const account = await sql<{ traits: object }>`select traits from accounts`.execute(db);
    expect(user.rows[0]!.traits).toEqual({ email: 'sam@globex.test' });
    expect(account.rows[0]!.traits).toEqual({ plan: 'pro' });
  });
});
