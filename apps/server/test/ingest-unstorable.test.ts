import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

function batch(prefix: string, names: string[]) {
  return {
    batch: names.map((event, i) => ({
      type: 'track',
      messageId: `${prefix}-${i}`,
      userId: `${prefix}-user`,
      event,
      context: { groupId: `${prefix}-account` },
    })),
  };
}

// Validation cannot foresee every value a database refuses. A check constraint stands in for
// such a value: the event named "poison" passes the contract, and Postgres refuses it.
describe.each(engines)('an event the database refuses, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await sql`alter table events add constraint no_poison check (event <> 'poison')`.execute(
      t.app.services.db,
    );
  });
  afterAll(() => t.close());

  const send = (body: object) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: body,
    });

  it('is rejected alone, by index; its batch and the requests sharing its flush are stored', async () => {
    const clean = batch('clean', ['login', 'report_exported', 'login']);
    const poisoned = batch('mixed', ['login', 'poison', 'report_exported', 'poison', 'login']);
    // Sent at once, so that they share a flush.
    const [first, second] = await Promise.all([send(clean), send(poisoned)]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(second.statusCode).toBe(200);
    const result = second.json();
    expect(result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(result.rejected).toEqual([
      expect.objectContaining({ index: 1, messageId: 'mixed-1', code: 'unstorable' }),
      expect.objectContaining({ index: 3, messageId: 'mixed-3', code: 'unstorable' }),
    ]);

    const stored = await sql<{ message_id: string }>`
      select message_id from events order by message_id`.execute(t.app.services.db);
    expect(stored.rows.map((row) => row.message_id)).toEqual([
      'clean-0',
      'clean-1',
      'clean-2',
      'mixed-0',
      'mixed-2',
      'mixed-4',
    ]);
    // The refused events left no dedup key behind: a corrected resend would be stored.
    const keys = await sql<{ n: number }>`
      select count(*)::int as n from event_keys`.execute(t.app.services.db);
    expect(keys.rows[0]!.n).toBe(6);
  });

  it('is rejected again on a retry, which doubles nothing', async () => {
    const retry = await send(
      batch('mixed', ['login', 'poison', 'report_exported', 'poison', 'login']),
    );
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(retry.json().rejected.map((r: { index: number }) => r.index)).toEqual([1, 3]);
    const logins = await sql<{ logins: number }>`
      select sum(logins)::int as logins from account_daily`.execute(t.app.services.db);
    expect(logins.rows[0]!.logins).toBe(4);
  });
});

describe.each(engines)('a partition dropped behind the server, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('is made again and the events stored, not refused as unstorable', async () => {
    const event = (messageId: string) => ({
      type: 'track',
      messageId,
      userId: 'u1',
      event: 'login',
      timestamp: '2026-03-10T09:00:00Z',
    });
    await t.ingest([event('before-drop')]);
    await sql`drop table events_y2026m03`.execute(t.app.services.db);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: { batch: [event('after-drop')] },
    });
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const stored = await sql<{ message_id: string }>`
      select message_id from events_y2026m03`.execute(t.app.services.db);
    expect(stored.rows).toEqual([{ message_id: 'after-drop' }]);
  });
});
