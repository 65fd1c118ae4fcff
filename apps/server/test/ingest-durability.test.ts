import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

function events(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'track',
    messageId: `${prefix}-${i}`,
    userId: `user-${i % 50}`,
    event: 'feature_used',
    properties: { feature: `f${i % 7}` },
    context: { groupId: `acct-${i % 20}` },
  }));
}

/**
 * Holds the database busy until `release` is called, so that a flush is stuck in flight:
 * on PGlite an open transaction holds the only connection; on Postgres a table lock blocks
 * the writer's insert.
 */
async function holdDatabase(t: TestApp) {
  // Authenticate once first: the key cache then answers without the held database.
  await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: t.writeAuth },
    payload: { batch: [] },
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = t.app.services.db.transaction().execute(async (tx) => {
    await sql`lock table event_keys in exclusive mode`.execute(tx);
    locked();
    await released;
  });
  await isLocked;
  return {
    async release() {
      release();
      await done;
    },
  };
}

describe.each(engines)('durability on %s', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers 503 with Retry-After when the writer queue is full, and loses nothing it accepted', async () => {
    t = await createTestApp(engine, { TENURE_WRITER_QUEUE_LIMIT: 2500 });
    const app = t.app;
    const hold = await holdDatabase(t);
    const send = (body: object) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: t!.writeAuth },
        payload: body,
      });

    const first = send({ batch: events('full', 2500) });
    // Wait until the first request's events are queued.
    while (app.services.writer.depth < 2500) await new Promise((resolve) => setTimeout(resolve, 5));
    const refused = await send({ batch: events('extra', 1) });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('overloaded');

    await hold.release();
    expect((await first).json()).toMatchObject({ accepted: 2500, duplicates: 0 });
    const retried = await send({ batch: events('extra', 1) });
    expect(retried.json()).toMatchObject({ accepted: 1 });
    const stored = await app.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(stored.n).toBe(2501);
  });

  it('flushes accepted requests on shutdown before closing the database', async () => {
    t = await createTestApp(engine);
    const app = t.app;
    const hold = await holdDatabase(t);
    const pending = app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: { batch: events('late', 300) },
    });
    while (app.services.writer.depth < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    const db = app.services.db;
    const closing = app.close();
    await hold.release();
    await closing;
    expect((await pending).json()).toMatchObject({ accepted: 300 });
    // The app closed but the test owns the database: the rows are committed.
    const stored = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(stored.n).toBe(300);
  });

  it('shares flushes between concurrent requests and counts each event once', async () => {
    t = await createTestApp(engine);
    const app = t.app;
    const bodies = Array.from({ length: 20 }, (_, i) => ({ batch: events(`c${i}`, 100) }));
    // Every request is sent twice at once: each event is accepted by exactly one of the two.
    const responses = await Promise.all(
      [...bodies, ...bodies].map((body) =>
        app.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: { authorization: t!.writeAuth },
          payload: body,
        }),
      ),
    );
    const totals = responses.map(
      (response) => response.json() as { accepted: number; duplicates: number },
    );
    expect(totals.reduce((sum, r) => sum + r.accepted, 0)).toBe(2000);
    expect(totals.reduce((sum, r) => sum + r.duplicates, 0)).toBe(2000);
    const rollup = await sql<{
      uses: number;
    }>`select sum(feature_uses) as uses from account_daily`.execute(app.services.db);
    expect(rollup.rows[0]!.uses).toBe(2000);
    const flushes = await app.services.metrics.flushEvents.get();
    const flushCount = flushes.values.find(
      (v) => v.metricName === 'tenure_writer_flush_events_count',
    )?.value;
    // Requests arriving during a flush share the next one, on PGlite too, although it runs a
    // statement synchronously on the JS thread.
    expect(flushCount).toBeLessThan(20);
  });
});
