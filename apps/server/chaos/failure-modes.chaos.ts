import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, type StatusCounts, sendUntilAcked } from './retrying-client.js';
import { ADMIN_TOKEN, freePort, TenureProcess } from './tenure-process.js';
import { ThrowawayPostgres } from './throwaway-postgres.js';

/**
 * What a crash, a lost database, slow clients and a crowd of heavy queries do to a running
 * server: nothing acknowledged is lost, nothing is doubled, every answer is a 2xx, 429 or 503,
 * and the server recovers by itself. Runs `tenure serve` (the built CLI) on a Postgres cluster
 * of its own, which it stops and starts. `pnpm test:chaos`; figures go to docs/operations.md.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const figures: Record<string, unknown> = {};

describe('chaos', () => {
  let postgres: ThrowawayPostgres;
  let server: TenureProcess;
  let keys: { projectId: string; writeKey: string; secretKey: string };
  let serverAuth: string;

  beforeAll(async () => {
    postgres = new ThrowawayPostgres(Number(process.env.CHAOS_PG_PORT ?? (await freePort())));
    postgres.init();
    postgres.start();
    server = new TenureProcess({
      DATABASE_URL: postgres.url,
      TENURE_REQUEST_TIMEOUT_MS: '3000',
      TENURE_HEADERS_TIMEOUT_MS: '2000',
    });
    await server.start();
    const response = await fetch(`${server.url}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'chaos' }),
    });
    keys = (await response.json()) as typeof keys;
    serverAuth = `Basic ${Buffer.from(`${keys.secretKey}:`).toString('base64')}`;
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    postgres?.destroy();
    console.log(`CHAOS_FIGURES ${JSON.stringify(figures)}`);
  });

  /** Events, distinct ids and the account-day rollup's count for ids starting with `prefix`. */
  async function stored(prefix: string) {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const events = await client.query(
        `select count(*)::int as n, count(distinct message_id)::int as distinct_ids
         from events where project_id = $1 and message_id like $2`,
        [keys.projectId, `${prefix}%`],
      );
      const rollup = await client.query(
        `select coalesce(sum(events), 0)::int as n from account_daily
         where project_id = $1 and account_id like $2`,
        [keys.projectId, `${prefix}%`],
      );
      return { ...events.rows[0], rollup: rollup.rows[0].n } as {
        n: number;
        distinct_ids: number;
        rollup: number;
      };
    } finally {
      await client.end();
    }
  }

  /** `batches` batches of 50 events, sent by 4 retrying clients; `during` runs once 8 are in. */
  async function ingestThrough(prefix: string, during: () => Promise<void>) {
    const batches = Array.from({ length: 40 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => ({
        type: 'track',
        event: 'feature_used',
        properties: { feature: `f${i % 5}` },
        userId: `${prefix}user-${i % 7}`,
        messageId: `${prefix}${b}-${i}`,
        context: { groupId: `${prefix}acct-${b % 10}` },
      })),
    );
    const counts: StatusCounts = {};
    let acked = 0;
    let accepted = 0;
    const deadline = Date.now() + 60_000;
    const queue = [...batches];
    const worker = async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        const result = await sendUntilAcked(() => server.url, serverAuth, batch, counts, {
          deadline,
        });
        expect(result, JSON.stringify(counts)).toBeDefined();
        acked += 1;
        accepted += result?.accepted ?? 0;
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    while (acked < 8) await sleep(20);
    await during();
    await workers;
    return { counts, acked, accepted, events: batches.length * 50 };
  }

  it('SIGKILL during ingest: a retrying client loses and doubles nothing', async () => {
    const result = await ingestThrough('kill-', async () => {
      await server.kill();
      await server.start();
    });
    expect(result.acked).toBe(40);
    expect(
      Object.keys(result.counts).every((s) => ['200', '429', '503', 'network'].includes(s)),
    ).toBe(true);
    const { n, distinct_ids, rollup } = await stored('kill-');
    expect({ n, distinct_ids, rollup }).toEqual({
      n: result.events,
      distinct_ids: result.events,
      rollup: result.events,
    });
    figures.sigkillDuringIngest = result.counts;
  }, 90_000);

  it('Postgres stopped and started during ingest: only 2xx/429/503, nothing lost or doubled', async () => {
    let readyDuringOutage = 0;
    const result = await ingestThrough('pgstop-', async () => {
      postgres.stop();
      await sleep(1_500);
      readyDuringOutage = (await fetch(`${server.url}/readyz`)).status;
      postgres.start();
    });
    expect(readyDuringOutage).toBe(503);
    expect(Object.keys(result.counts).every((s) => ['200', '429', '503'].includes(s))).toBe(true);
    expect(result.counts['503']).toBeGreaterThan(0);
    const { n, distinct_ids, rollup } = await stored('pgstop-');
    expect({ n, distinct_ids, rollup }).toEqual({
      n: result.events,
      distinct_ids: result.events,
      rollup: result.events,
    });
    figures.postgresStoppedDuringIngest = result.counts;
  }, 90_000);

  it('Postgres stopped and started during queries: 200 or 503 storage_unavailable, then 200', async () => {
    const counts: StatusCounts = {};
    const codes = new Set<string>();
    let running = true;
    const paths = [
      '/v1/accounts?sort=risk',
      '/v1/metrics/churn',
      '/v1/settings',
      '/v1/accounts/kill-acct-1',
    ];
    const reader = async (offset: number) => {
      for (let i = offset; running; i += 1) {
        try {
          const response = await fetch(`${server.url}${paths[i % paths.length]}`, {
            headers: { authorization: `Bearer ${keys.secretKey}` },
          });
          count(counts, response.status);
          if (!response.ok)
            codes.add(((await response.json()) as { error: { code: string } }).error.code);
          else await response.arrayBuffer();
        } catch {
          count(counts, 'network');
        }
        await sleep(50);
      }
    };
    const readers = Promise.all([reader(0), reader(1), reader(2)]);
    await sleep(500);
    postgres.stop();
    await sleep(1_500);
    postgres.start();
    await sleep(1_500);
    running = false;
    await readers;
    expect(
      Object.keys(counts).every((s) => ['200', '503'].includes(s)),
      JSON.stringify(counts),
    ).toBe(true);
    expect(counts['503']).toBeGreaterThan(0);
    expect(
      [...codes].every((code) => code === 'storage_unavailable' || code === 'overloaded'),
    ).toBe(true);
    for (const path of paths) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${keys.secretKey}` },
      });
      expect(response.status, path).toBe(200);
    }
    figures.postgresStoppedDuringQueries = counts;
  }, 60_000);

  it('slow-body and slow-header clients are cut off with 408 while others are served', async () => {
    const slowClient = (head: string, rest: string) =>
      new Promise<{ seconds: number; text: string }>((resolve) => {
        const started = Date.now();
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
        let text = '';
        let i = 0;
        socket.on('data', (chunk) => {
          text += chunk.toString();
        });
        socket.on('error', () => {});
        socket.write(head);
        const timer = setInterval(() => {
          if (i < rest.length) socket.write(rest[i++]!);
        }, 200);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ seconds: (Date.now() - started) / 1000, text });
        });
      });
    const body = `{"batch":[${' '.repeat(400)}]}`;
    const slowBodies = Array.from({ length: 5 }, () =>
      slowClient(
        `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      ),
    );
    const slowHeaders = Array.from({ length: 5 }, () =>
      slowClient('GET /healthz HTTP/1.1\r\n', `X-Slow: ${'a'.repeat(400)}\r\n\r\n`),
    );
    await sleep(500);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const bodies = await Promise.all(slowBodies);
    const headers = await Promise.all(slowHeaders);
    for (const { text } of [...bodies, ...headers]) expect(text).toMatch(/^HTTP\/1\.1 408/);
    const seconds = (list: { seconds: number }[]) =>
      list.map((r) => r.seconds).sort((a, b) => a - b);
    figures.slowBodyCutoffSeconds = seconds(bodies);
    figures.slowHeaderCutoffSeconds = seconds(headers);
  }, 30_000);

  it('ten concurrent heavy lists: 200 or 503 overloaded, identical ones shared, then all 200', async () => {
    const accounts = 2_000;
    const messages = Array.from({ length: accounts }, (_, a) => [
      {
        type: 'group',
        userId: `heavy-u${a}`,
        groupId: `heavy-${a}`,
        traits: { name: `Heavy ${a}`, plan: a % 3 ? 'pro' : 'team', mrr: 100 + a, seats: 5 },
        timestamp: new Date(Date.now() - 90 * 86_400_000).toISOString(),
        messageId: `heavy-g${a}`,
      },
      {
        type: 'track',
        event: 'login',
        userId: `heavy-u${a}`,
        context: { groupId: `heavy-${a}` },
        timestamp: new Date(Date.now() - (a % 60) * 86_400_000).toISOString(),
        messageId: `heavy-l${a}`,
      },
    ]).flat();
    const counts: StatusCounts = {};
    for (let i = 0; i < messages.length; i += 2_000) {
      const result = await sendUntilAcked(
        () => server.url,
        serverAuth,
        messages.slice(i, i + 2_000),
        counts,
        { deadline: Date.now() + 30_000 },
      );
      expect(result).toBeDefined();
    }
    const rssBefore = server.rssMb();
    const list = (day: number) =>
      fetch(
        `${server.url}/v1/accounts?sort=risk&asOf=${new Date(Date.now() - day * 86_400_000).toISOString()}`,
        { headers: { authorization: `Bearer ${keys.secretKey}` } },
      );
    const different = await Promise.all(Array.from({ length: 10 }, (_, i) => list(i + 1)));
    const statuses: StatusCounts = {};
    for (const response of different) {
      count(statuses, response.status);
      if (response.status === 503) {
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'overloaded',
        );
        expect(response.headers.get('retry-after')).toBeTruthy();
      } else await response.arrayBuffer();
    }
    expect(Object.keys(statuses).every((s) => ['200', '503'].includes(s))).toBe(true);
    expect(statuses['503']).toBeGreaterThan(0);
    // Recovery: each list answers once the crowd is gone.
    for (let day = 1; day <= 10; day += 1) {
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
        const response = await list(day);
        status = response.status;
        await response.arrayBuffer();
        if (status !== 200) await sleep(200);
      }
      expect(status).toBe(200);
    }
    // Identical lists in flight share one computation: all ten answer.
    const sameAsOf = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const identical = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${server.url}/v1/accounts?sort=risk&limit=5&asOf=${sameAsOf}`, {
          headers: { authorization: `Bearer ${keys.secretKey}` },
        }),
      ),
    );
    expect(identical.map((response) => response.status)).toEqual(Array(10).fill(200));
    figures.tenConcurrentLists = {
      accounts,
      statuses,
      rssBeforeMb: rssBefore,
      peakRssMb: server.peakRssMb(),
    };
  }, 90_000);
});
