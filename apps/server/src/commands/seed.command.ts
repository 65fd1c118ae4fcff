import { parseArgs } from 'node:util';
import { createProject } from '../admin/projects.js';
import { ConfigError } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { BatchWriter } from '../ingest/batch-writer.js';
import { backfillSnapshots, takeSnapshots } from '../risk/risk-snapshots.sql.js';
import { seedProject } from '../seed/seed-project.js';
import type { Command } from './command.js';
import { openConfiguredDatabase } from './open-configured-database.js';
import { positiveInteger } from './positive-integer.js';

const options = {
  accounts: { type: 'string' },
  days: { type: 'string' },
  project: { type: 'string' },
  seed: { type: 'string' },
} as const;

/**
 * `tenure seed --accounts N --days D [--project ID] [--seed S]`: generated accounts written into
 * a project (a new one when --project is not given) on the configured database, then weekly risk
 * snapshots over the last 8 weeks so trends show at once.
 */
async function seedAccounts(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options });
  const accounts = positiveInteger('accounts', values.accounts, 200);
  const days = positiveInteger('days', values.days, 180);
  const seed = positiveInteger('seed', values.seed, 1);
  const { config, database } = await openConfiguredDatabase();
  try {
    const migration = await migrateToLatest(database.db);
    if (migration.error) throw migration.error;
    let projectId = values.project;
    if (projectId) {
      const found = await database.db
        .selectFrom('projects')
        .select('id')
        .where('id', '=', projectId)
        .executeTakeFirst();
      if (!found) throw new ConfigError(`No project ${projectId}`);
    } else {
      const credentials = await createProject(database.db, {
        name: `Seeded (${accounts} accounts)`,
      });
      projectId = credentials.projectId;
      console.log(`Project ${projectId} created. Keys are shown once:`);
      console.log(`  write key:  ${credentials.writeKey}`);
      console.log(`  secret key: ${credentials.secretKey}`);
    }
    const writer = new BatchWriter(database.db, {
      queueLimit: 1_000_000,
      flushEvents: config.TENURE_WRITER_FLUSH_EVENTS,
      concurrency: database.engine === 'pglite' ? 1 : config.TENURE_WRITER_CONCURRENCY,
    });
    const summary = await seedProject(writer, projectId, { accounts, days, seed });
    await writer.close();
    const snapshots = await backfillSnapshots(database.db, projectId, { weeks: 8 });
    await takeSnapshots(database.db, projectId);
    console.log(
      `Seeded ${summary.accounts} accounts over ${days} days into ${projectId}: ` +
        `${summary.accepted} events written (${summary.duplicates} already there), ` +
        `${summary.cancelled} cancelled, ${summary.decaying} on the decay path, ` +
        `in ${summary.seconds} s; ${snapshots} risk snapshots backfilled.`,
    );
  } finally {
    await database.close();
  }
}

export const seedCommand: Command = {
  name: 'seed',
  summary: 'Generate realistic accounts into a project (a new one by default)',
  usage: `Usage: tenure seed [--accounts N] [--days D] [--project ID] [--seed S]

Writes generated accounts through the real ingest path into a project on the configured
database, then backfills 8 weeks of weekly risk snapshots.
  --accounts N    Accounts to generate (200)
  --days D        Days of history (180)
  --project ID    An existing project (default: a new one, whose keys are printed)
  --seed S        Random seed (1); the same seed writes the same events`,
  options,
  run: seedAccounts,
};
