import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../src/admin/projects.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { createPostgresDatabase, engines } from './test-database.js';

// The built CLI, as a user runs it (`pnpm test` builds before testing).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ROWS = 20_000;

function checkpointLine(stateDir: string): number {
  try {
    const [name] = readdirSync(stateDir).filter((file) => file.endsWith('.json'));
    return name ? JSON.parse(readFileSync(join(stateDir, name), 'utf8')).line : 0;
  } catch {
    return 0;
  }
}

/** Runs `tenure import`; `stopWhen` sends `signal` once the checkpoint passes that line. */
async function runImport(
  args: string[],
  env: Record<string, string>,
  stop?: { afterLine: number; signal: NodeJS.Signals; stateDir: string },
) {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'import', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? -1 : code)),
  );
  if (stop) {
    while (child.exitCode === null && checkpointLine(stop.stateDir) < stop.afterLine) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill(stop.signal);
  }
  return { code: await exited, stdout };
}

describe.each(engines)('tenure import interrupted and killed mid-file, on %s', (engine) => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('resumes from its checkpoint and stores every row exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenure-import-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let env: Record<string, string>;
    if (engine === 'pglite') env = { TENURE_DATA_DIR: join(dir, 'data') };
    else {
      const database = await createPostgresDatabase();
      cleanups.push(() => database.drop());
      env = { DATABASE_URL: database.url };
    }
    const open = () => openDatabase({ url: env.DATABASE_URL, dataDir: env.TENURE_DATA_DIR });
    let database = await open();
    await migrateToLatest(database.db);
    const { projectId } = await createProject(database.db, { name: 'Crash' });
    await database.close();

    // Half the rows carry a messageId, half get one derived from their content.
    const file = join(dir, 'history.ndjson');
    const rows = Array.from({ length: ROWS }, (_, i) =>
      JSON.stringify({
        type: 'track',
        ...(i % 2 === 0 ? { messageId: `m-${i}` } : {}),
        event: 'login',
        userId: `u${i % 50}`,
        timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        context: { groupId: `a${i % 10}` },
      }),
    );
    writeFileSync(file, `${rows.join('\n')}\n`);
    const stateDir = join(dir, 'state');
    const args = [file, '--project', projectId, '--state-dir', stateDir];

    // Ctrl-C: what is in flight is committed and checkpointed, exit 130.
    const interrupted = await runImport(args, env, {
      afterLine: 2_500,
      signal: 'SIGINT',
      stateDir,
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toContain('interrupted; run the same command to resume');
    const afterInterrupt = checkpointLine(stateDir);
    database = await open();
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('project_id', '=', projectId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Consistent: the checkpoint is exactly what is stored.
    expect(await count()).toBe(afterInterrupt);
    await database.close();

    // Killed without warning further on.
    const killed = await runImport(args, env, {
      afterLine: afterInterrupt + 5_000,
      signal: 'SIGKILL',
      stateDir,
    });
    expect(killed.code).toBe(-1);
    const afterKill = checkpointLine(stateDir);
    expect(afterKill).toBeGreaterThan(afterInterrupt);
    expect(afterKill).toBeLessThan(ROWS);

    const finished = await runImport(args, env);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain(`(resumed after line ${afterKill})`);
    expect(finished.stdout).toMatch(
      /20,000 rows, (\d|,)+ accepted, (\d|,)+ duplicates, 0 rejected/,
    );

    database = await open();
    expect(await count()).toBe(ROWS);
    const ids = await database.db
      .selectFrom('events')
      .select((eb) => eb.fn.count('message_id').distinct().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    expect(Number(ids.n)).toBe(ROWS);
    await database.close();
  }, 600_000);
});
