import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { importFile } from './import-file.js';
import { ImportProgress } from './import-progress.js';
import { HttpSink } from './sinks/http-sink.js';

// A fresh database per test, migrated: on a loaded 2-core machine that has taken a minute.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

describe('tenure import --url against a real server (PGlite)', () => {
  let t: TestApp;
  let dir: string;
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits out 429s as Retry-After says and stores every row; a bad key stops it with the API words', async () => {
    // One batch of burst, then 50 events/s: the second batch, sent while the first is written,
    // finds the bucket empty whatever the machine's speed, and waits about 10 s.
    t = await createTestApp('pglite', {
      TENURE_RATE_LIMIT_EVENTS_PER_SECOND: 50,
      TENURE_RATE_LIMIT_BURST: 500,
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    dir = mkdtempSync(join(tmpdir(), 'tenure-import-http-'));
    const file = join(dir, 'events.ndjson');
    const rows = Array.from({ length: 1_000 }, (_, i) =>
      JSON.stringify({
        type: 'track',
        event: 'login',
        userId: `u${i % 10}`,
        timestamp: new Date(Date.UTC(2024, 5, 1) + i * 1000).toISOString(),
      }),
    );
    writeFileSync(file, `${rows.join('\n')}\n`);
    let rateLimited = 0;
    const onWait = (status: number) => {
      if (status === 429) rateLimited += 1;
    };
    const run = (key: string) =>
      importFile({
        file,
        format: 'auto',
        mappings: [],
        sink: new HttpSink(`http://127.0.0.1:${port}`, key, onWait),
        stateDir: join(dir, 'state'),
        rejectsPath: join(dir, 'rejects.ndjson'),
        progress: new ImportProgress(new PassThrough() as unknown as NodeJS.WriteStream, false),
      });
    const result = await run(t.writeKey);
    expect(result.totals).toEqual({ rows: 1_000, accepted: 1_000, duplicates: 0, rejected: 0 });
    expect(rateLimited).toBeGreaterThan(0);
    await expect(run('wk_not_a_key')).rejects.toThrow('answered 401 invalid_write_key');
  });

  it("applies the key's scope: revenue needs the secret key, the write key stores behaviour only", async () => {
    t = await createTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    dir = mkdtempSync(join(tmpdir(), 'tenure-import-scope-'));
    const file = join(dir, 'revenue.ndjson');
    const at = (day: number) => new Date(Date.UTC(2024, 5, day)).toISOString();
    const rows = [
      { type: 'track', event: 'login', userId: 'u1', groupId: 'acme', timestamp: at(1) },
      {
        type: 'track',
        event: 'subscription_started',
        userId: 'u1',
        groupId: 'acme',
        properties: { plan: 'pro', mrr: 400 },
        timestamp: at(2),
      },
      {
        type: 'group',
        userId: 'u1',
        groupId: 'acme',
        traits: { name: 'Acme', mrr: 400 },
        timestamp: at(3),
      },
    ];
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const run = async (key: string, name: string) => {
      const sink = new HttpSink(`http://127.0.0.1:${port}`, key);
      const result = await importFile({
        file,
        format: 'auto',
        mappings: [],
        sink,
        stateDir: join(dir, `state-${name}`),
        rejectsPath: join(dir, `rejects-${name}.ndjson`),
        progress: new ImportProgress(new PassThrough() as unknown as NodeJS.WriteStream, false),
      });
      return { totals: result.totals, withoutRevenue: sink.callsWithoutRevenueTraits };
    };
    const publicRun = await run(t.writeKey, 'public');
    expect(publicRun).toEqual({
      totals: { rows: 3, accepted: 2, duplicates: 0, rejected: 1 },
      withoutRevenue: 1,
    });
    expect(readFileSync(join(dir, 'rejects-public.ndjson'), 'utf8')).toContain(
      'forbidden_for_public_key',
    );
    expect((await t.get('/v1/accounts/acme')).json()).toMatchObject({ name: 'Acme', mrr: null });
    // The same file with the secret key: the revenue event is stored, the rest are duplicates.
    const serverRun = await run(t.secretKey, 'server');
    expect(serverRun).toEqual({
      totals: { rows: 3, accepted: 1, duplicates: 2, rejected: 0 },
      withoutRevenue: 0,
    });
  });
});
