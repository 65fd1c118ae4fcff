import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../../test/test-database.js';
import { importFixture } from './import.fixture.js';

// Each test opens and migrates a fresh database and imports thousands of rows: on a loaded
// 2-core machine that has taken over a minute (PGlite).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

const ndjson = (rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
const iso = (value: unknown) => new Date(value as string).toISOString();

describe.each(engines)('tenure import, each format, on %s', (engine) => {
  let fx: Awaited<ReturnType<typeof importFixture>>;
  beforeEach(async () => {
    fx = await importFixture(engine);
  });
  afterEach(async () => {
    await fx.close();
  });

  it('imports Segment messages, and Segment export rows without re-correcting their clock', async () => {
    const file = fx.path('segment.ndjson');
    writeFileSync(
      file,
      ndjson([
        {
          type: 'identify',
          messageId: 'seg-1',
          userId: 'u1',
          timestamp: '2023-05-01T10:00:00.000Z',
          traits: { email: 'a@example.com' },
        },
        // Segment's export layout: sentAt/receivedAt from the original delivery, export fields.
        {
          type: 'track',
          messageId: 'seg-2',
          event: 'login',
          userId: 'u1',
          timestamp: '2023-05-01T10:05:00.000Z',
          sentAt: '2023-05-01T10:05:01.000Z',
          receivedAt: '2023-05-01T10:05:02.000Z',
          originalTimestamp: '2023-05-01T10:04:59.000Z',
          context: { groupId: 'acme' },
          projectId: 'segment-source',
          version: 2,
          channel: 'server',
        },
      ]),
    );
    const result = await fx.run(file);
    expect(result.totals).toEqual({ rows: 2, accepted: 2, duplicates: 0, rejected: 0 });
    const events = await fx.events();
    expect(events.map((e) => [e.message_id, e.type, e.event, e.account_id])).toEqual([
      ['seg-1', 'identify', null, null],
      ['seg-2', 'track', 'login', 'acme'],
    ]);
    expect(iso(events[1]!.timestamp)).toBe('2023-05-01T10:05:00.000Z');
  });

  it('imports a Mixpanel export with the documented mapping (gzip, detected by its bytes)', async () => {
    const file = fx.path('mixpanel-export.json');
    const rows = [
      {
        event: 'feature_used',
        properties: {
          time: 1_700_000_000,
          distinct_id: 'u7',
          $insert_id: 'ins-1',
          token: 'secret-ish',
          feature: 'reports',
          company_id: 'acme',
        },
      },
      {
        event: 'login',
        properties: { time: 1_700_000_100_000, distinct_id: '$device:d9', $insert_id: 'ins-2' },
      },
    ];
    writeFileSync(file, gzipSync(ndjson(rows)));
    const result = await fx.run(file, {
      format: 'mixpanel',
      mappings: [{ source: 'properties.company_id', target: 'context.groupId' }],
    });
    expect(result.totals.accepted).toBe(2);
    const events = await fx.events();
    expect(
      events.map((e) => [e.message_id, e.event, e.user_id, e.anonymous_id, e.account_id]),
    ).toEqual([
      ['mp-ins-1', 'feature_used', 'u7', null, 'acme'],
      ['mp-ins-2', 'login', null, 'd9', null],
    ]);
    expect(iso(events[0]!.timestamp)).toBe('2023-11-14T22:13:20.000Z');
    expect(events[0]!.properties).toEqual({ feature: 'reports', company_id: 'acme' });
  });

  it('imports an Amplitude export: tracks, $identify, groups as the account', async () => {
    const file = fx.path('amplitude.ndjson');
    writeFileSync(
      file,
      ndjson([
        {
          event_type: 'kb_article_viewed',
          user_id: 'u1',
          device_id: 'dev-1',
          event_time: '2024-02-03 04:05:06.789123',
          insert_id: 'a-1',
          groups: { company: ['acme'] },
          event_properties: { articleId: 'kb-9' },
        },
        {
          event_type: '$identify',
          user_id: 'u1',
          event_time: '2024-02-03 05:00:00',
          uuid: 'b2',
          user_properties: { role: 'admin' },
        },
      ]),
    );
    const result = await fx.run(file);
    expect(result.totals.accepted).toBe(2);
    const events = await fx.events();
    expect(events.map((e) => [e.message_id, e.type, e.event, e.user_id, e.account_id])).toEqual([
      ['amp-a-1', 'track', 'kb_article_viewed', 'u1', 'acme'],
      ['amp-b2', 'identify', null, 'u1', null],
    ]);
    expect(iso(events[0]!.timestamp)).toBe('2024-02-03T04:05:06.789Z');
  });

  it('imports a CSV with --map, typing numbers, and deriving ids from content', async () => {
    const file = fx.path('revenue.csv');
    writeFileSync(
      file,
      [
        'time,user,account,event,plan,mrr,note',
        '2024-01-01T00:00:00Z,u1,acme,subscription_started,pro,99.5,"first, with comma"',
        '1706745600,u2,beta,subscription_started,basic,20,"two',
        'lines"',
      ].join('\n'),
    );
    const result = await fx.run(file, {
      mappings: [
        { source: 'time', target: 'timestamp' },
        { source: 'user', target: 'userId' },
        { source: 'account', target: 'context.groupId' },
      ],
    });
    expect(result.totals).toEqual({ rows: 2, accepted: 2, duplicates: 0, rejected: 0 });
    const events = await fx.events();
    expect(events.map((e) => [e.event, e.user_id, e.account_id, iso(e.timestamp)])).toEqual([
      ['subscription_started', 'u1', 'acme', '2024-01-01T00:00:00.000Z'],
      ['subscription_started', 'u2', 'beta', '2024-02-01T00:00:00.000Z'],
    ]);
    expect(events[0]!.properties).toEqual({ plan: 'pro', mrr: 99.5, note: 'first, with comma' });
    expect(events[1]!.properties).toMatchObject({ note: 'two\nlines' });
    expect(events[0]!.message_id).toMatch(/^imp-[0-9a-f]{32}$/);
  });

  it('refuses a CSV whose mapped column is missing, before writing anything', async () => {
    const file = fx.path('missing.csv');
    writeFileSync(file, 'when,user\n2024-01-01T00:00:00Z,u1\n');
    await expect(
      fx.run(file, {
        mappings: [
          { source: 'time', target: 'timestamp' },
          { source: 'account', target: 'context.groupId' },
        ],
      }),
    ).rejects.toThrow('The CSV header has no column "time", "account"');
    expect(await fx.events()).toEqual([]);
  });
});
