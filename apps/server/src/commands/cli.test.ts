import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../app.js';

// The built CLI, as a user runs it (`pnpm test` builds before testing).
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'tenure-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function tenure(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      // Nothing may open this folder or a port: a command that ignored --help would start a
      // server (and never exit) or create a database here.
      env: { ...process.env, TENURE_DATA_DIR: dataDir, PORT: '1', DATABASE_URL: '' },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string; killed?: boolean };
    if (failed.killed) throw new Error(`tenure ${args.join(' ')} did not exit`);
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The commands `tenure --help` lists, so a command added later is covered by these tests. */
async function listedCommands(): Promise<string[]> {
  const { stdout } = await tenure('--help');
  const section = stdout.split('Commands:\n')[1]!.split('\n\n')[0]!;
  return section.split('\n').map((line) => line.trim().split(/\s{2,}/)[0]!);
}

describe('tenure, the CLI', { timeout: 240_000 }, () => {
  it('lists its commands', async () => {
    expect(await listedCommands()).toEqual(
      expect.arrayContaining([
        'serve',
        'demo',
        'migrate',
        'project create',
        'seed',
        'backtest',
        'user create',
      ]),
    );
  });

  it('prints the usage of every command for --help and -h, and does nothing else', async () => {
    const calls = (await listedCommands()).flatMap((name) =>
      ['--help', '-h'].map(async (flag) => ({
        name,
        flag,
        ...(await tenure(...name.split(' '), flag)),
      })),
    );
    for (const result of await Promise.all(calls)) {
      expect(result, `tenure ${result.name} ${result.flag}`).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Usage: tenure ${result.name}`);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('answers help after other flags too, and `tenure help <command>`', async () => {
    expect((await tenure('seed', '--accounts', '5', '--help')).stdout).toContain(
      'Usage: tenure seed',
    );
    expect((await tenure('help', 'project', 'create')).stdout).toContain(
      'Usage: tenure project create',
    );
    expect((await tenure('project', '--help')).stdout).toContain('Usage: tenure project create');
  });

  it('rejects an unknown flag on every command with exit code 2 and the usage', async () => {
    const calls = (await listedCommands()).map(async (name) => ({
      name,
      ...(await tenure(...name.split(' '), '--no-such-flag')),
    }));
    for (const result of await Promise.all(calls)) {
      expect(result.code, `tenure ${result.name} --no-such-flag`).toBe(2);
      expect(result.stderr).toContain("Unknown option '--no-such-flag'");
      expect(result.stderr).toContain(`Usage: tenure ${result.name}`);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('rejects a bad value and an unknown command with exit code 2', async () => {
    const badValue = await tenure('seed', '--accounts', 'many');
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--accounts must be a positive integer');
    const unknown = await tenure('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('prints its version', async () => {
    expect((await tenure('--version')).stdout.trim()).toBe(VERSION);
    expect((await tenure('-v')).stdout.trim()).toBe(VERSION);
  });
});
