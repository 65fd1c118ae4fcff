import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { CitusSetupError, distribute } from '../db/citus/distribute.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';

/**
 * `tenure citus distribute [--shard-count N]`: brings the schema up to date, then applies the
 * Citus layout (db/citus/citus-layout.ts) to the database at DATABASE_URL, a coordinator whose
 * workers are added. Safe to run again: what is already in place is skipped.
 */
export async function citusDistributeCommand(args: string[]): Promise<void> {
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
