import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectBadRequests, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import type { ExportedEvent } from './events-query.sql.js';

/** A minimal RFC 4180 reader, to check that the CSV parses back to what was stored. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return rows;
}

const SAME_TIME = '2026-10-05T09:00:00.000Z';
const HOSTILE = 'comma, "quotes" and\r\na new line';

// 7 events at one instant (pages must break ties by message id), 3 later ones.
const HISTORY = [
  ...Array.from({ length: 7 }, (_, i) => ({
    messageId: `tie-${i}`,
    type: 'track',
    event: 'feature_used',
    userId: 'ann',
    timestamp: SAME_TIME,
    properties: { feature: i === 3 ? HOSTILE : 'reports' },
    context: { groupId: 'acme' },
  })),
  {
    messageId: 'later-1',
    type: 'track',
    event: 'login',
    userId: 'bob',
    timestamp: '2026-10-06T10:00:00Z',
    context: { groupId: 'globex' },
  },
  {
    messageId: 'later-2',
    type: 'page',
    name: 'Home',
    anonymousId: 'anon-1',
    timestamp: '2026-10-07T10:00:00Z',
  },
  {
    messageId: 'later-3',
    type: 'identify',
    userId: 'ann',
    traits: { email: 'ann@acme.test' },
    timestamp: '2026-10-08T10:00:00Z',
  },
];

describe.each(engines)('events export on %s', (engine) => {
  let t: TestApp;
  let otherKey: string;
  const get = (url: string, headers: Record<string, string> = {}, key = t.secretKey) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

  async function allPages(query: string, limit: number) {
    const events: ExportedEvent[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page: { data: ExportedEvent[]; nextCursor: string | null } = (
        await get(`/v1/events?limit=${limit}&${query}${suffix}`)
      ).json();
      events.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.ingest(HISTORY);
    otherKey = await t.otherProjectKey();
  });
  afterAll(() => t.close());

  it('pages through events in order without skipping or repeating ties', async () => {
    const events = await allPages('', 3);
    expect(events.map((event) => event.messageId)).toEqual([
      'tie-0',
      'tie-1',
      'tie-2',
      'tie-3',
      'tie-4',
      'tie-5',
      'tie-6',
      'later-1',
      'later-2',
      'later-3',
    ]);
    expect(events[3]).toMatchObject({
      type: 'track',
      event: 'feature_used',
      userId: 'ann',
      accountId: 'acme',
      timestamp: SAME_TIME,
      properties: { feature: HOSTILE },
    });
    expect(events[8]).toMatchObject({
      type: 'page',
      event: 'Home',
      anonymousId: 'anon-1',
      userId: null,
    });
  });

  it('filters by time, type, event, account, user and anonymous id', async () => {
    const ids = async (query: string) => (await allPages(query, 100)).map((e) => e.messageId);
    expect(await ids('from=2026-10-06T00:00:00Z&to=2026-10-08T00:00:00Z')).toEqual([
      'later-1',
      'later-2',
    ]);
    expect(await ids('type=identify')).toEqual(['later-3']);
    expect(await ids('event=login')).toEqual(['later-1']);
    expect(await ids('accountId=globex')).toEqual(['later-1']);
    expect((await ids('userId=ann')).length).toBe(8);
    expect(await ids('anonymousId=anon-1')).toEqual(['later-2']);
  });

  it('streams NDJSON and CSV that read back to exactly the stored events', async () => {
    const stored = await allPages('', 100);
    const ndjson = await get('/v1/events', { accept: 'application/x-ndjson' });
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = ndjson.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    // A complete export ends with its count line.
    expect(lines.pop()).toEqual({ exportComplete: true, count: stored.length });
    expect(lines).toEqual(stored);

    const csv = await get('/v1/events?format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(csv.body);
    expect(header?.slice(0, 3)).toEqual(['message_id', 'timestamp', 'type']);
    expect(rows.map((row) => row[0])).toEqual(stored.map((event) => event.messageId));
    const hostile = rows[3]!;
    expect(JSON.parse(hostile[7]!)).toEqual({ feature: HOSTILE });
    expect(rows[8]![4]).toBe(''); // no user id: an empty field
  });

  it('streams exports larger than one page', async () => {
    const batch = (offset: number) =>
      Array.from({ length: 2_500 }, (_, i) => ({
        messageId: `bulk-${String(offset + i).padStart(5, '0')}`,
        type: 'track',
        event: 'bulk',
        userId: 'robot',
        timestamp: '2026-10-10T00:00:00Z',
      }));
    for (const offset of [0, 2_500]) await t.ingest(batch(offset));
    const body = (await get('/v1/events?event=bulk&format=ndjson')).body;
    const ids = body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).messageId)
      .slice(0, -1);
    expect(ids).toHaveLength(5_000);
    expect(new Set(ids).size).toBe(5_000);
    expect(ids[0]).toBe('bulk-00000');
    expect(ids.at(-1)).toBe('bulk-04999');
  });

  it("never exports another project's events", async () => {
    const page = (await get('/v1/events', {}, otherKey)).json();
    expect(page).toEqual({ data: [], nextCursor: null });
    const stream = await get('/v1/events?format=ndjson', {}, otherKey);
    expect(stream.body).toBe('{"exportComplete":true,"count":0}\n');
  });

  it('answers bad parameters with a clear 400 before streaming', async () => {
    await expectBadRequests(t, [
      '/v1/events?cursor=not-a-cursor',
      '/v1/events?from=2026-10-08T00:00:00Z&to=2026-10-01T00:00:00Z',
      '/v1/events?limit=0',
      '/v1/events?limit=5000',
      '/v1/events?type=purchase',
      '/v1/events?format=xml',
      '/v1/events?format=csv&from=yesterday',
      '/v1/events?accountId=ac%00me',
      `/v1/events?cursor=${Buffer.from(JSON.stringify([SAME_TIME, 'tie\u0000'])).toString('base64url')}`,
      '/v1/events?from=2026-02-30',
      // Edited cursors with instants Postgres cannot hold: a 400, not a 500 or a cut stream.
      ...['99999', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z'].flatMap(
        (timestamp) => {
          const cursor = Buffer.from(JSON.stringify([timestamp, 'x'])).toString('base64url');
          return [`/v1/events?cursor=${cursor}`, `/v1/events?format=csv&cursor=${cursor}`];
        },
      ),
    ]);
  });
});
