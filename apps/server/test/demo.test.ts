import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, freePort, startTenure, stopChild } from './cli-process.js';
import { createPostgresDatabase, engines } from './test-database.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data folder (PGlite) or a fresh database (Postgres) for one demo. */
async function demoDatabase(engine: string): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-demo-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (engine === 'pglite') return { TENURE_DATA_DIR: dataDir };
  const database = await createPostgresDatabase();
  cleanups.push(() => database.drop());
  // The folder is there to prove that nothing of a Postgres demo is kept in it.
  return { TENURE_DATA_DIR: dataDir, DATABASE_URL: database.url };
}

async function startDemo(env: Record<string, string>, size: string[]) {
  const demo = await startTenure(['demo', ...size], env);
  cleanups.push(() => stopChild(demo.child));
  // The server answers before its data is complete: wait for the data too.
  const generated = await untilDataComplete(demo.url);
  const output = generated
    ? await outputWith(demo.output, 'The demo data is complete.')
    : demo.output();
  const secretKey = /secret key: +(\S+)/.exec(output)?.[1];
  const writeKey = /write key: +(\S+)/.exec(output)?.[1];
  if (!secretKey || !writeKey) throw new Error(`no keys in the demo's output: ${output}`);
  const password = /sign in: +\S+ \/ (\S+)/.exec(output)?.[1];
  if (!password) throw new Error(`no workspace sign-in in the demo's output: ${output}`);
  return { ...demo, output, secretKey, writeKey, password };
}

/** Waits until answers stop carrying the partial-data header; whether any carried it. */
async function untilDataComplete(url: string): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    const header = (await fetch(`${url}/healthz`)).headers.get('tenure-demo-data');
    if (header === null) return attempt > 0;
    if (header.startsWith('incomplete')) throw new Error(`the demo's generation failed: ${header}`);
    if (attempt > 6000) throw new Error(`the demo's data was still ${header}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The output of a child once it contains `text` (written by another process: polled). */
async function outputWith(output: () => string, text: string): Promise<string> {
  for (let attempt = 0; attempt < 100 && !output().includes(text); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return output();
}

/** Signs in to the demo's workspace with the printed sign-in; the status. */
async function signInStatus(url: string, password: string): Promise<number> {
  const response = await fetch(`${url}/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: 'demo@tenure.local', password }),
  });
  return response.status;
}

async function accountCount(url: string, secretKey: string): Promise<number> {
  const response = await fetch(`${url}/v1/accounts?limit=500`, {
    headers: { authorization: `Bearer ${secretKey}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accounts: unknown[] }).accounts.length;
}

const SMALL = ['--accounts', '12', '--days', '60'];

describe('tenure demo', () => {
  it('prints keys that work on each database, kept with that database', async () => {
    const databases = await Promise.all(engines.map(demoDatabase));
    const passwords: string[] = [];
    for (const env of databases) {
      const first = await startDemo(env, SMALL);
      expect(first.output).toContain('Generating accounts');
      expect(await accountCount(first.url, first.secretKey)).toBe(12);
      expect(await signInStatus(first.url, first.password)).toBe(200);
      passwords.push(first.password);
      await stopChild(first.child, 'SIGINT');
    }
    // Each database, started again, prints its own keys (not the last demo's), and they work.
    for (const env of databases) {
      const again = await startDemo(env, SMALL);
      expect(again.output).not.toContain('Generating accounts');
      expect(await accountCount(again.url, again.secretKey)).toBe(12);
      // The workspace sign-in is kept with the keys in that database: the same one, and it works.
      expect(again.password).toBe(passwords[databases.indexOf(env)]);
      expect(await signInStatus(again.url, again.password)).toBe(200);
      if (env.DATABASE_URL) expect(readdirSync(env.TENURE_DATA_DIR!)).toEqual([]);
      const track = await fetch(`${again.url}/v1/track`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${again.writeKey}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ userId: 'u1', event: 'login', context: { groupId: 'acme' } }),
      });
      expect(track.status).toBe(200);
      await stopChild(again.child, 'SIGINT');
    }
  }, 600_000);

  it('answers before its data is generated, marks those answers, and stops on Ctrl+C', async () => {
    const env = await demoDatabase('pglite');
    // A year of history: generating it takes several seconds even on a fast machine, so the
    // first answer lands inside the generation however loaded the machine running this is.
    const size = ['--accounts', '40', '--days', '365'];
    const first = await startTenure(['demo', ...size], env);
    cleanups.push(() => stopChild(first.child));
    const banner = await outputWith(first.output, 'Stop: Ctrl+C');
    const secretKey = /secret key: +(\S+)/.exec(banner)?.[1];
    // Ready with the keys printed while the accounts are still being written.
    const partial = await fetch(`${first.url}/v1/accounts?limit=500`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(partial.status).toBe(200);
    expect(partial.headers.get('tenure-demo-data')).toMatch(/^partial, /);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGINT');
    expect(await exited).toBe(0);
    const stopped = first.output();
    expect(stopped).toContain('Demo data generation stopped; the next start resumes it.');
    expect(stopped).not.toContain('The demo data is complete.');

    const again = await startDemo(env, size);
    expect(again.output).toContain('was interrupted; resuming it');
    // The keys were printed before the generation's progress, and the data is now complete.
    expect(again.output.indexOf('Tenure is running')).toBeLessThan(
      again.output.indexOf('events written'),
    );
    expect(again.secretKey).toBe(secretKey);
    const complete = await fetch(`${again.url}/v1/accounts?limit=500&status=all`, {
      headers: { authorization: `Bearer ${again.secretKey}` },
    });
    expect(complete.headers.get('tenure-demo-data')).toBeNull();
    expect(((await complete.json()) as { accounts: unknown[] }).accounts.length).toBe(40);
  }, 600_000);

  it('resumes a generation that was interrupted, and says so', async () => {
    const env = await demoDatabase('pglite');
    const size = ['--accounts', '40', '--days', '60'];
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'demo', ...size], {
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TENURE_JOBS_INTERVAL_MINUTES: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => stopChild(child));
    // Killed part-way through the generation.
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Generating accounts: \d+\/40 \(30%\)/.test(output)) resolve();
      });
      child.once('exit', () => reject(new Error(`the demo ended before 50%: ${output}`)));
    });
    await stopChild(child, 'SIGKILL');

    const resumed = await startDemo(env, size);
    expect(resumed.output).toContain('was interrupted; resuming it');
    // The whole generation is written (message ids make the events written before the kill
    // duplicates, not doubles).
    const written = /: (\d+) events written \((\d+) already there\)/.exec(resumed.output);
    const total = /40 accounts, (\d+) events over 60 days/.exec(resumed.output);
    const [accepted, duplicates] = [Number(written?.[1]), Number(written?.[2])];
    expect(accepted).toBeGreaterThan(0);
    expect(accepted + duplicates).toBe(Number(total?.[1]));
    expect(await accountCount(resumed.url, resumed.secretKey)).toBeGreaterThan(30);
  }, 600_000);
});
