import { existsSync, readdirSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { lockDataFolder } from '../db/data-folder-lock.js';
import type { Command } from './command.js';
import { UsageError } from './usage-error.js';

const options = { yes: { type: 'boolean', default: false } } as const;

/**
 * `tenure data reset --yes`: the way out of a damaged embedded folder. The folder is moved aside,
 * not deleted, so whatever can still be read from it is not lost by a hurried command.
 */
async function resetDataFolder(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options });
  const config = loadConfig(process.env);
  if (config.DATABASE_URL) {
    throw new UsageError(
      'DATABASE_URL is set: data reset is for the embedded database only (TENURE_DATA_DIR)',
    );
  }
  const dataDir = resolve(config.TENURE_DATA_DIR);
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) {
    console.log(`Nothing to reset: ${dataDir} is empty.`);
    return;
  }
  if (!values.yes) {
    throw new UsageError(
      `this moves ${dataDir} aside and starts an empty database; run it again with --yes`,
    );
  }
  // A folder in use by a running server is not damaged; refuse rather than pull it away.
  lockDataFolder(dataDir).release();
  const aside = `${dataDir}.reset-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dataDir, aside);
  console.log(
    `Moved ${dataDir} to ${aside}. The next start creates an empty database there ` +
      '(tenure demo generates its data again). Delete the old folder when you no longer need it.',
  );
}

export const dataResetCommand: Command = {
  name: 'data reset',
  summary: 'Move a damaged embedded data folder aside and start empty',
  usage: `Usage: tenure data reset --yes

For the embedded database (no DATABASE_URL): moves TENURE_DATA_DIR (.tenure-data) aside to
<folder>.reset-<time> so the next start creates an empty database. Use it when the folder no
longer opens and there is no backup to restore. Refuses while a process is using the folder.
  --yes    Do it (without it, the command only says what it would do)`,
  options,
  run: resetDataFolder,
};
