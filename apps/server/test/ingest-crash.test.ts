import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './test-app.js';
import { createPostgresDatabase, engines } from './test-database.js';

// The built server, as `tenure serve` runs it (`pnpm test` builds before testing).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`tenure serve exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('tenure serve did not become ready');
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const batch = Array.from({ length: 300 }, (_, i) => ({
  type: 'track',
  messageId: `crash-${i}`,
  userId: `user-${i % 30}`,
  event: 'feature_used',
  properties: { feature: `f${i % 5}` },
  context: { groupId: `acct-${i % 10}` },
}));

describe.each(engines)('a server killed right after a 2xx, on %s', (engine) => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('has stored every acknowledged event, with its dedup key and rollups', async () => {
    let env: Record<string, string>;
    if (engine === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'tenure-crash-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env = { TENURE_DATA_DIR: dataDir };
    } else {
      const database = await createPostgresDatabase();
      cleanups.push(() => database.drop());
      env = { DATABASE_URL: database.url };
    }

    const first = await startServer(env);
    cleanups.push(() => kill(first.child));
    const project = await fetch(`${first.url}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash' }),
    }).then((response) => response.json() as Promise<{ writeKey: string; secretKey: string }>);
    const send = (url: string) =>
      fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${project.writeKey}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ batch }),
      }).then(async (response) => [response.status, await response.json()]);

    expect(await send(first.url)).toEqual([200, { accepted: 300, duplicates: 0, rejected: [] }]);
    // No graceful shutdown: the process dies the moment the answer is in.
    await kill(first.child);

    const second = await startServer(env);
    cleanups.push(() => kill(second.child));
    const query = (path: string, accept = 'application/json') =>
      fetch(`${second.url}${path}`, {
        headers: { authorization: `Bearer ${project.secretKey}`, accept },
      });
    const exported = await (await query('/v1/events', 'application/x-ndjson')).text();
    const lines = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { messageId?: string });
    // A complete export ends with its marker and count (docs/query-api.md).
    expect(lines.at(-1)).toEqual({ exportComplete: true, count: batch.length });
    const ids = lines.slice(0, -1).map((line) => line.messageId);
    expect(ids.sort()).toEqual(batch.map((message) => message.messageId).sort());
    // The ledger survived with the events: the same batch again is all duplicates.
    expect(await send(second.url)).toEqual([200, { accepted: 0, duplicates: 300, rejected: [] }]);
    // And the rollups, committed with them: acct-3 holds messages 3, 13, …, 293, all of
    // feature f3, by user-3, user-13 and user-23.
    type FeatureUse = { feature: string; uses: number; users28: number };
    const adoption = (await (await query('/v1/accounts/acct-3/features')).json()) as {
      keyFeatures: FeatureUse[];
      otherFeatures: FeatureUse[];
    };
    const used = [...adoption.keyFeatures, ...adoption.otherFeatures]
      .filter((feature) => feature.uses > 0)
      .map(({ feature, uses, users28 }) => ({ feature, uses, users28 }));
    expect(used).toEqual([{ feature: 'f3', uses: 30, users28: 3 }]);
  }, 60_000);
});
