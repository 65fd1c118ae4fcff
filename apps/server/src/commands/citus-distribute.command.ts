import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { CitusSetupError, distribute } from '../db/citus/distribute.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import type { Command } from './command.js';

/**
 * `tenure citus distribute [--shard-count N]`: brings the schema up to date, then applies the
 * Citus layout (db/citus/citus-layout.ts) to the database at DATABASE_URL, a coordinator whose
 * workers are added. Safe to run again: what is already in place is skipped.
 */
async function distributeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'shard-count': { type: 'string' } } });
  const shardCount =
    values['shard-count'] === undefined ? undefined : Number(values['shard-count']);
  if (shardCount !== undefined && !(Number.isInteger(shardCount) && shardCount > 0)) {
    throw new ConfigError('--shard-count must be a positive integer');
  }
  const config = loadConfig(process.env);
  if (!config.DATABASE_URL) {
    throw new ConfigError('tenure citus distribute needs DATABASE_URL (a Citus coordinator)');
  }
  const database = await openDatabase({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    const migrated = await migrateToLatest(database.db);
    if (migrated.error) throw migrated.error;
    const report = await distribute(database.db, { shardCount });
    for (const step of report.steps) console.log(step);
    console.log(
      report.steps.length === 0
        ? 'The Citus layout was already in place; nothing changed.'
        : 'The Citus layout is in place.',
    );
  } catch (error) {
    if (error instanceof CitusSetupError) throw new ConfigError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

export const citusDistributeCommand: Command = {
  name: 'citus distribute',
  summary: 'Distribute the database at DATABASE_URL with Citus (a coordinator with workers)',
  usage: `Usage: tenure citus distribute [--shard-count N]

Brings the schema at DATABASE_URL up to date, then applies Tenure's Citus layout: reference
tables, every other table distributed and co-located on project_id, the functions distributed.
DATABASE_URL must point at a Citus coordinator whose workers are added. Safe to run again; a
database that already holds data is converted. See docs/operations.md.
  --shard-count N   Shards per distributed table (Citus's default when absent)`,
  options: { 'shard-count': { type: 'string' } },
  run: (args) => distributeCommand(args),
};
