import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderError } from '../src/db/data-folder-error.js';
import { LOCK_FILE, lockDataFolder } from '../src/db/data-folder-lock.js';
import { runTenure, startTenure, stopChild } from './cli-process.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempFolder() {
  const parent = mkdtempSync(join(tmpdir(), 'tenure-lock-'));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  return join(parent, 'data');
}

describe('the embedded data folder lock', () => {
  it('refuses a second holder, naming the first, and is free again once released', () => {
    const dataDir = tempFolder();
    const lock = lockDataFolder(dataDir);
    expect(() => lockDataFolder(dataDir)).toThrow(DataFolderError);
    expect(() => lockDataFolder(dataDir)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    lockDataFolder(dataDir).release();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dataDir = tempFolder();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    const pid = Number(dead.stdout.toString());
    lockDataFolder(dataDir).release();
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({ pid, host: hostname(), started: '1', since: 'then' }),
    );
    const lock = lockDataFolder(dataDir);
    lock.release();
  });
});

describe('two processes on one embedded folder', () => {
  it('lets the first in, turns the second away with the holder pid, and recovers from a crash or damage', async () => {
    const dataDir = tempFolder();
    const env = { TENURE_DATA_DIR: dataDir };
    const first = await startTenure('serve', env);
    cleanups.push(() => stopChild(first.child));

    const second = await runTenure(['serve'], { ...env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
    expect(second.stderr).toContain('TENURE_DATA_DIR');
    expect(second.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    // The first server is unharmed.
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

    // Killed without a chance to clean up: its lock is stale and the next process takes over.
    await stopChild(first.child, 'SIGKILL');
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    const migrated = await runTenure(['migrate'], env);
    expect(migrated).toMatchObject({ code: 0 });
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    // A damaged folder: what happened and the way out, no WebAssembly abort trace.
    writeFileSync(join(dataDir, 'global', 'pg_control'), 'not a control file');
    const damaged = await runTenure(['migrate'], env);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain(`The embedded database in ${dataDir} could not be opened`);
    expect(damaged.stderr).toContain('tenure data reset');
    expect(damaged.stderr).not.toMatch(/\n\s+at /);

    expect((await runTenure(['data', 'reset'], env)).code).toBe(2);
    const reset = await runTenure(['data', 'reset', '--yes'], env);
    expect(reset.code).toBe(0);
    const aside = readdirSync(join(dataDir, '..')).filter((name) => name.startsWith('data.reset-'));
    expect(aside).toHaveLength(1);
    expect((await runTenure(['migrate'], env)).code).toBe(0);
  }, 300_000);
});
