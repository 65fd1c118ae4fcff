import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

const EVENTS = 7_000;
// ~28 MB of export, four slices on Postgres (2,000 rows each): more than the server's stream
// buffer and the socket buffers hold, so the export is still reading from the database when the
// test breaks it. With 12 MB (two slices) a busy machine sometimes let the export finish first.
const PADDING = 'x'.repeat(4_000);

interface Download {
  status: number;
  body: string;
  /** Whether the body ended with the terminating chunk (a clean end). */
  complete: boolean;
  trailers: Record<string, string | undefined>;
}

/** GET with node:http; `onFirstChunk` runs once, with the response paused, before reading on. */
function download(
  url: string,
  secretKey: string,
  onFirstChunk?: () => Promise<void>,
): Promise<Download> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${secretKey}` };
    const request = get(url, { headers }, (response: IncomingMessage) => {
      let body = '';
      let first = true;
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
        if (first && onFirstChunk) {
          first = false;
          response.pause();
          onFirstChunk().then(() => response.resume(), reject);
        }
      });
      response.on('error', () => {});
      response.on('close', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          complete: response.complete,
          trailers: response.trailers,
        }),
      );
    });
    request.on('error', reject);
  });
}

describe.each(engines)('an export that fails part-way on %s', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (let start = 0; start < EVENTS; start += 100) {
      await t.ingest(
        Array.from({ length: 100 }, (_, i) => ({
          type: 'track',
          messageId: `m-${start + i}`,
          userId: 'u1',
          event: 'custom_thing',
          timestamp: new Date(Date.UTC(2026, 9, 1) + (start + i) * 1000).toISOString(),
          properties: { padding: PADDING },
          context: { groupId: 'acme' },
        })),
      );
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}/v1/events`;
  }, 300_000);
  afterAll(() => t.close());

  const url = (format: string) => `${base}?format=${format}`;

  it('ends a complete NDJSON export with a count line and a count trailer', async () => {
    const result = await download(url('ndjson'), t.secretKey);
    expect(result.status).toBe(200);
    expect(result.complete).toBe(true);
    const lines = result.body.trimEnd().split('\n');
    expect(lines).toHaveLength(EVENTS + 1);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ exportComplete: true, count: EVENTS });
    expect(result.trailers['tenure-export-count']).toBe(String(EVENTS));
  });

  it('answers a JSON error, not a 200, when the database fails before the first event', async () => {
    await sql`alter table events rename to events_gone`.execute(t.app.services.db);
    try {
      const result = await download(url('csv'), t.secretKey);
      expect(result.status).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: expect.any(String) } });
    } finally {
      await sql`alter table events_gone rename to events`.execute(t.app.services.db);
    }
  });

  it('resets the connection when the database fails mid-export, for NDJSON and CSV', async () => {
    for (const format of ['ndjson', 'csv']) {
      const result = await download(url(format), t.secretKey, async () => {
        // The events table disappears under the export: its next slice fails.
        await sql`alter table events rename to events_gone`.execute(t.app.services.db);
      });
      await sql`alter table events_gone rename to events`.execute(t.app.services.db);
      expect(result.status, format).toBe(200);
      expect(result.complete, format).toBe(false);
      expect(result.body, format).not.toContain('exportComplete');
      expect(result.trailers['tenure-export-count'], format).toBeUndefined();
    }
  });
});
