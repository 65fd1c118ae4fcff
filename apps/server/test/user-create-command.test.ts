import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../src/admin/projects.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type DatabaseHandle, type Engine, openDatabase } from '../src/db/open-database.js';
import { findUserByEmail, membershipsOf } from '../src/workspace/dashboard-users.sql.js';
import { verifyPassword } from '../src/workspace/password-hash.js';
import { createPostgresDatabase, engines } from './test-database.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built CLI with `stdin` piped in (not a terminal), as a script would. */
function runCli(args: string[], env: Record<string, string>, stdin: string) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
}

/** A database the CLI process and this test open in turn (PGlite: a folder; else a Postgres db). */
async function sharedDatabase(engine: Engine): Promise<{
  env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'));
    return {
      env: { TENURE_DATA_DIR: dir },
      open: () => openDatabase({ dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const database = await createPostgresDatabase();
  return {
    env: { DATABASE_URL: database.url },
    open: () => openDatabase({ url: database.url, poolSize: 2 }),
    drop: database.drop,
  };
}

describe.each(engines)('tenure user create on %s', (engine) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  // Four processes open the same PGlite folder in turn, each a WebAssembly start: slow on a
  // busy machine, so more time than the default.
  it('reads the password from a piped stdin and grants the role', {
    timeout: 240_000,
  }, async () => {
    const shared = await sharedDatabase(engine);
    cleanup = shared.drop;
    let handle: DatabaseHandle = await shared.open();
    await migrateToLatest(handle.db);
    const { projectId } = await createProject(handle.db, { name: 'Acme CS' });
    await handle.close();

    const args = ['user', 'create', '--email', 'Cara@Example.com', '--project', projectId];
    const created = await runCli([...args, '--role', 'admin'], shared.env, 'piped password 1\n');
    expect(created.output).toContain(`is admin of project ${projectId}`);
    expect(created.code).toBe(0);
    const tooShort = await runCli(
      ['user', 'create', '--email', 'dan@example.com', '--project', projectId, '--role', 'viewer'],
      shared.env,
      'short\n',
    );
    expect(tooShort.code).toBe(1);
    expect(tooShort.output).toContain('at least 8 characters');
    const badRole = await runCli([...args, '--role', 'owner'], shared.env, '');
    // A value the command cannot take is a command-line mistake: exit 2 with the usage.
    expect(badRole.code).toBe(2);
    expect(badRole.output).toContain('--role must be admin or viewer');
    expect(badRole.output).toContain('Usage: tenure user create');

    handle = await shared.open();
    try {
      const user = await findUserByEmail(handle.db, 'cara@example.com');
      expect(user).toBeDefined();
      // The trailing newline is not part of the password; the hash is scrypt, never the text.
      expect(await verifyPassword('piped password 1', user!.password_hash)).toBe(true);
      expect(await verifyPassword('piped password 1\n', user!.password_hash)).toBe(false);
      expect(user!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(await membershipsOf(handle.db, user!.id)).toEqual([
        { projectId, projectName: 'Acme CS', role: 'admin' },
      ]);
      expect(await findUserByEmail(handle.db, 'dan@example.com')).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});
