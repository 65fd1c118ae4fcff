import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import { createProject } from '../admin/projects.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { deliverDue } from './deliver-webhooks.js';
import { isPublicAddress, urlRefusal } from './webhook-targets.js';

describe('webhook targets', () => {
  it('tells public addresses from loopback, private, link-local and reserved ones', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('judges IPv6 transition addresses by the IPv4 address they embed', () => {
    for (const address of [
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
      '64:ff9b::127.0.0.1',
      '64:ff9b::10.0.0.1',
      '64:ff9b:1::8.8.8.8', // local-use NAT64: never global
      '64:ff9b:1:abcd::1',
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:a9fe:a9fe::1',
      '2002:c0a8:101::',
      '2001::1', // Teredo
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '::127.0.0.1', // IPv4-compatible
      '::a9fe:a9fe',
      '::10.1.2.3',
      '::ffff:0:127.0.0.1', // IPv4-translated
      '::ffff:0:a9fe:a9fe',
      '::ffff:0:192.168.0.1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    // The same forms around a public IPv4 address lead to it: DNS64 networks keep working.
    for (const address of ['64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:0:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('refuses URLs whose host is or resolves to such an address, unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://[::1]/hook',
      'http://localhost:4000/',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.1/', // the URL parser reads it as 127.0.0.1
      'http://2130706433/',
      'http://[fe80::1]/',
      'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
      'http://[2002:7f00:1::]/',
      'http://[::ffff:0:7f00:1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    ]) {
      expect(await urlRefusal(new URL(url), 'deny'), url).toMatch(/not a public address/);
      expect(await urlRefusal(new URL(url), 'allow'), url).toBeNull();
    }
    expect(await urlRefusal(new URL('https://93.184.215.14/hook'), 'deny')).toBeNull();
    // Not resolvable now (no such domain): accepted; every delivery checks again.
    expect(await urlRefusal(new URL('https://hooks.tenure.invalid/'), 'deny')).toBeNull();
  });
});

describe.each(engines)('webhook delivery to a loopback receiver on %s', (engine) => {
  let database: DatabaseHandle;
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  let projectId: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    database = await openTestDatabase(engine);
    await migrateToLatest(database.db);
    ({ projectId } = await createProject(database.db, { name: 'Targets' }));
    // By address and by name: the name is refused by the connection's own lookup.
    for (const [id, url] of [
      ['wh_address', `http://127.0.0.1:${port}/by-address`],
      ['wh_name', `http://localhost:${port}/by-name`],
    ] as const) {
      await database.db
        .insertInto('webhooks')
        .values({ project_id: projectId, id, url, triggers: ['inactive'], secret: 'whsec_test' })
        .execute();
      await database.db
        .insertInto('webhook_deliveries')
        .values({
          project_id: projectId,
          id: `del_${id}`,
          webhook_id: id,
          account_id: 'acme',
          kind: 'inactive',
          dedup_key: 'inactive:1',
          payload: JSON.stringify({ accountId: 'acme' }),
          next_attempt_at: new Date(Date.now() - 1_000),
        })
        .execute();
    }
  });
  afterAll(async () => {
    await database.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses it by default, records why, and delivers once allowed', async () => {
    const fast = { baseDelayMs: 1, maxDelayMs: 1 };
    expect(await deliverDue(database.db, fast)).toEqual({ delivered: 0, retrying: 2, failed: 0 });
    expect(received).toEqual([]);
    const attempts = await database.db
      .selectFrom('webhook_attempts')
      .select(['delivery_id', 'status_code', 'error'])
      .orderBy('delivery_id')
      .execute();
    expect(attempts).toEqual([
      {
        delivery_id: 'del_wh_address',
        status_code: null,
        error: expect.stringMatching(/^127\.0\.0\.1 is 127\.0\.0\.1, not a public address/),
      },
      {
        delivery_id: 'del_wh_name',
        status_code: null,
        error: expect.stringMatching(/^localhost is (127\.0\.0\.1|::1), not a public address/),
      },
    ]);

    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await deliverDue(database.db, { ...fast, privateNetworks: 'allow' })).toEqual({
      delivered: 2,
      retrying: 0,
      failed: 0,
    });
    expect(received.sort()).toEqual(['/by-address', '/by-name']);
  });
});
