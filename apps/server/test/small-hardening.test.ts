import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../src/admin/projects.js';
import { buildApp } from '../src/app.js';
import { oldestWindowMonth } from '../src/db/event-partitions.js';
import type { DatabaseHandle } from '../src/db/open-database.js';
import { redactUrl } from '../src/http/log-redaction.js';
import { messageIdOf } from '../src/ingest/event-record.js';
import { engines, openTestDatabase } from './test-database.js';

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('derived messageIds', () => {
  it('are computed from the instant, not from how the timestamp is written', () => {
    const message = (timestamp: string) =>
      messageIdOf({ type: 'track', event: 'login', userId: 'ada', timestamp });
    const id = message('2026-03-10T09:00:00.000Z');
    expect(message('2026-03-10T09:00:00Z')).toBe(id);
    expect(message('2026-03-10T09:00:00+00:00')).toBe(id);
    expect(message('2026-03-10T10:00:00+01:00')).toBe(id);
    expect(message('2026-03-10T09:00:01Z')).not.toBe(id);
  });
});

describe('log redaction', () => {
  it('takes keys out of logged URLs', () => {
    expect(redactUrl('/v1/accounts?writeKey=tw_abcdefgh12&limit=5')).toBe(
      '/v1/accounts?writeKey=[redacted]&limit=5',
    );
    expect(redactUrl('/v1/x?token=hunter2&q=ts_0123456789abc')).toBe(
      '/v1/x?token=[redacted]&q=[redacted]',
    );
    expect(redactUrl('/v1/batch/tw_abcdefgh12')).toBe('/v1/batch/[redacted]');
    expect(redactUrl('/v1/accounts?sort=risk')).toBe('/v1/accounts?sort=risk');
  });
});

describe.each(engines)('request hardening on %s', (engine) => {
  const lines: string[] = [];
  let database: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let keys: { writeKey: string; secretKey: string };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    app = await buildApp({
      database,
      config: { TENURE_EVENT_PARTITION_MONTHS: 12, TENURE_JOBS_INTERVAL_MINUTES: 0 },
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      },
    });
    keys = await createProject(app.services.db, { name: 'hardening' });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('never writes a key sent in the query string to the log', async () => {
    await app.inject({ method: 'GET', url: `/v1/settings?secretKey=${keys.secretKey}` });
    await app.inject({ method: 'POST', url: `/v1/batch?writeKey=${keys.writeKey}`, payload: {} });
    const log = lines.join('');
    expect(log).toContain('/v1/settings?secretKey=[redacted]');
    expect(log).not.toContain(keys.secretKey);
    expect(log).not.toContain(keys.writeKey);
  });

  it('refuses bodies that are not UTF-8 with 400 invalid_encoding, on ingest and elsewhere', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"batch":[{"type":"track","event":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('","userId":"ada"}]}'),
    ]);
    for (const [url, method, authorization] of [
      ['/v1/batch', 'POST', basic(keys.writeKey)],
      ['/v1/settings', 'PUT', `Bearer ${keys.secretKey}`],
    ] as const) {
      const response = await app.inject({
        method,
        url,
        headers: { authorization, 'content-type': 'application/json' },
        payload: latin1,
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('invalid_encoding');
    }
    const count = await app.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('creates partitions only inside the window; older events go to the catch-all', async () => {
    const batch = [];
    for (let year = 2000; year <= 2026; year += 1) {
      for (const month of ['01', '06', '11']) {
        batch.push({
          type: 'track',
          event: 'login',
          userId: 'ada',
          messageId: `old-${year}-${month}`,
          timestamp: `${year}-${month}-15T12:00:00Z`,
        });
      }
    }
    const response = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basic(keys.writeKey) },
      payload: { batch },
    });
    const { accepted } = response.json();
    expect(accepted).toBe(batch.length);
    const partitions = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
      where p.relname = 'events' order by 1`.execute(app.services.db);
    const names = partitions.rows.map((row) => row.name);
    const oldest = oldestWindowMonth(Date.now(), 12).replace('-', 'm');
    expect(names).toContain('events_default');
    for (const name of names.filter((n) => n !== 'events_default')) {
      expect(name.slice('events_y'.length) >= oldest, name).toBe(true);
    }
    expect(names.length).toBeLessThanOrEqual(13);
    const stored = await app.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(batch.length);
  });
});
