import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../../test/test-database.js';
import { buildApp } from '../app.js';
import { importFixture } from './import.fixture.js';

// Each test opens and migrates a fresh database and imports thousands of rows: on a loaded
// 2-core machine that has taken over a minute (PGlite).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

const ndjson = (rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;

const good = (i: number) => ({
  type: 'track',
  event: 'feature_used',
  userId: `u${i % 7}`,
  timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  properties: { feature: `f${i % 3}` },
  context: { groupId: `acct-${i % 5}` },
});

describe.each(engines)('tenure import, exactly once, on %s', (engine) => {
  let fx: Awaited<ReturnType<typeof importFixture>>;
  beforeEach(async () => {
    fx = await importFixture(engine);
  });
  afterEach(async () => {
    await fx.close();
  });

  it('stores nothing new when the same file is imported twice, and lists exactly the bad rows as the API words them', async () => {
    // Rows without messageId (derived ids), and bad rows at known lines.
    const bad = new Map<number, unknown>([
      [
        3,
        { type: 'track', event: 'feature_used', userId: 'u1', timestamp: '2024-01-01T00:00:00Z' },
      ],
      [6, { type: 'track', event: 'login', timestamp: '2024-01-01T00:00:00Z' }],
      [7, { type: 'track', event: 'login', userId: 'u1', timestamp: 'yesterday' }],
      [10, { type: 'shout', userId: 'u1' }],
    ]);
    const rows = Array.from({ length: 3_000 }, (_, i) => bad.get(i + 1) ?? good(i));
    const file = fx.path('events.ndjson');
    writeFileSync(file, `${ndjson(rows)}{not json\n`);

    const first = await fx.run(file);
    expect(first.totals).toEqual({ rows: 3_001, accepted: 2_996, duplicates: 0, rejected: 5 });
    const stored = await fx.events();
    expect(stored).toHaveLength(2_996);

    const rejects = readFileSync(first.rejectsPath!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects.map((r) => r.line)).toEqual([3, 6, 7, 10, 3_001]);
    expect(rejects[4]).toMatchObject({ code: 'malformed_json', row: '{not json' });
    // The same rows sent to POST /v1/batch are refused with the same codes and messages.
    const app = await buildApp({ database: fx.database });
    try {
      const { createProject } = await import('../admin/projects.js');
      const { writeKey } = await createProject(app.services.db, { name: 'API' });
      const response = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        payload: { batch: [...bad.values()] },
      });
      const api = response
        .json()
        .rejected.map((r: { code: string; message: string }) => [r.code, r.message]);
      expect(rejects.slice(0, 4).map((r) => [r.code, r.message])).toEqual(api);
    } finally {
      await app.close();
    }

    // A finished import forgets its checkpoint: the second run reads everything again.
    const second = await fx.run(file);
    expect(second.resumedAfterLine).toBe(0);
    expect(second.totals).toEqual({ rows: 3_001, accepted: 0, duplicates: 2_996, rejected: 5 });
    expect(await fx.events()).toEqual(stored);
  });

  it('stops at a truncated gzip naming the line reached, with the checkpoint on committed rows', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => good(i));
    const whole = gzipSync(ndjson(rows));
    const file = fx.path('cut.ndjson.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.7)));

    const error = await fx.run(file).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /cut\.ndjson\.gz: the gzip data is truncated or corrupt after line (\d+) .*rows up to line (\d+) are committed/,
    );
    const [, reached, committed] = /after line (\d+).*up to line (\d+)/.exec(error!.message)!;
    expect(Number(committed)).toBe(Number(reached));
    const stored = await fx.events();
    // Every row read before the cut is committed, once, and the checkpoint says so.
    expect(stored).toHaveLength(Number(committed));
    const state = join(fx.dir, 'state');
    const [checkpointFile] = readdirSync(state);
    const checkpoint = JSON.parse(readFileSync(join(state, checkpointFile!), 'utf8'));
    expect(checkpoint.line).toBe(Number(committed));
    expect(checkpoint.totals.accepted).toBe(Number(committed));
  });
});
