import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../src/admin/projects.js';
import { buildApp } from '../src/app.js';
import { TcpProxy } from './tcp-proxy.js';
import { createPostgresDatabase } from './test-database.js';

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/**
 * The database goes away under a running server (a relay in front of real Postgres is cut):
 * every endpoint answers 503 storage_unavailable with Retry-After, the outage is logged once,
 * /readyz says not ready, and everything works again when the database is back, no restart.
 */
describe.runIf(process.env.TEST_DATABASE_URL)('database outage', () => {
  const lines: { level: number; msg: string }[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    const target = new URL(database.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    app = await buildApp({
      config: { DATABASE_URL: target.toString(), TENURE_JOBS_INTERVAL_MINUTES: 0 },
      logger: { level: 'info', stream: logStream },
    });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.cut();
    await drop?.();
  });

  it('answers 503 storage_unavailable everywhere, logs once, and recovers without a restart', async () => {
    const project = await createProject(app.services.db, { name: 'outage' });
    const login = (id: string) => ({
      batch: [{ type: 'track', event: 'login', userId: 'ada', messageId: id }],
    });
    const ingest = (id: string, key = project.writeKey) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: basic(key) },
        payload: login(id),
      });
    expect((await ingest('before')).statusCode).toBe(200);

    await proxy.cut();
    const requests = [
      // The write key is cached, so this one reaches the writer.
      () => ingest('during'),
      // The secret key used for ingestion is not cached yet: the key lookup itself fails.
      () => ingest('during-server', project.secretKey),
      () =>
        app.inject({
          method: 'GET',
          url: '/v1/accounts?sort=risk',
          headers: { authorization: `Bearer ${project.secretKey}` },
        }),
      () =>
        app.inject({
          method: 'GET',
          url: '/v1/settings',
          headers: { authorization: `Bearer ${project.secretKey}` },
        }),
      () => app.inject({ method: 'GET', url: '/readyz' }),
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const request of requests) {
        const response = await request();
        expect(response.statusCode, response.body).toBe(503);
        expect(response.json().error.code).toBe('storage_unavailable');
        expect(response.headers['retry-after']).toBe('5');
      }
    }
    const outageLines = lines.filter((line) => line.msg.startsWith('database unreachable'));
    expect(outageLines).toHaveLength(1);
    expect(lines.filter((line) => line.level >= 50)).toHaveLength(1);

    await proxy.restore();
    let ready = 0;
    for (let attempt = 0; attempt < 100 && ready !== 200; attempt += 1) {
      ready = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    expect((await ingest('after')).json()).toMatchObject({ accepted: 1 });
    expect((await ingest('during-server', project.secretKey)).json()).toMatchObject({
      accepted: 1,
    });
    expect(lines.filter((line) => line.msg === 'database reachable again')).toHaveLength(1);
  });
});
